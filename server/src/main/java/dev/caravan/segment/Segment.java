package dev.caravan.segment;

import java.time.Instant;

import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * A saved segment. The condition is kept as its canonical JSON text (the form the API takes and returns) and parsed
 * again on load, so what is stored is always what the schema accepted.
 *
 * @param version      increases with every edit; memberships are refilled after each
 * @param refreshJobId the job filling the memberships after the last save
 */
@Document("segments")
public record Segment(@MongoId(FieldType.STRING) String id, @Indexed(unique = true) String name, String description,
                      String condition, long version, String createdBy, Instant createdAt, String updatedBy,
                      Instant updatedAt, String refreshJobId) {
}
