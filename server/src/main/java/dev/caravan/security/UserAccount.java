package dev.caravan.security;

import java.time.Instant;
import java.util.Set;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.mapping.Document;

/** A console and API user; the password is stored only as a BCrypt hash. */
@Document("users")
public record UserAccount(@MongoId(FieldType.STRING) String username, String passwordHash, Set<Role> roles, boolean enabled,
                          Instant createdAt, Instant updatedAt) {
}
