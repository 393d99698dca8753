package dev.caravan.rules;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import java.time.Instant;
import java.util.List;

import org.springframework.data.mongodb.core.mapping.Document;

/** The one document saying which rule version is active, with the activation history. */
@Document("rule_active")
public record ActiveVersion(@MongoId(FieldType.STRING) String id, long version, Instant activatedAt, String activatedBy,
                            List<Activation> history) {

    public static final String ID = "active";

    public record Activation(long version, Instant at, String by, String comment) {
    }
}
