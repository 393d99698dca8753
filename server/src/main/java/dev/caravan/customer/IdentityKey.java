package dev.caravan.customer;

import java.time.Instant;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One way of recognising a buyer, owned by exactly one customer: the {@code _id} is the normalised key
 * (e.g. {@code email:ann@example.com}), so every identity lookup is a primary-key lookup.
 */
@Document("identity_keys")
public record IdentityKey(@MongoId(FieldType.STRING) String key, String customerId, IdentityKind kind, Instant createdAt) {
}
