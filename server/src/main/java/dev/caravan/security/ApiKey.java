package dev.caravan.security;

import java.time.Instant;
import java.util.Set;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A machine credential sent as {@code X-Api-Key: cvk_<id>_<secret>}. Only the SHA-256 of the secret is stored:
 * the secret is random (256 bits), so a slow password hash adds nothing, and the full key is shown once.
 */
@Document("api_keys")
public record ApiKey(@MongoId(FieldType.STRING) String id, String name, String secretHash, Set<Role> roles, String createdBy,
                     Instant createdAt) {
}
