package dev.caravan.privacy;

import java.time.Instant;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * An erased identity: {@code _id} is the keyed hash of a normalised identity key (never the key itself); {@code kind}
 * is the key's kind ({@code email}, {@code phone}, {@code buyer}, {@code relay}) for statistics only.
 */
@Document("erasure_tombstones")
record Tombstone(@MongoId(FieldType.STRING) String hash, String kind, Instant erasedAt, String reason) {
}
