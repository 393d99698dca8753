package dev.caravan.activity;

import java.time.Instant;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A conversation touch point: an inquiry, a message, a complaint or a review (with a 1–5 rating).
 * Complaints stay {@code resolved = false} until a later event or an agent resolves them.
 */
@Document("interactions")
public record Interaction(
        @MongoId(FieldType.STRING) String id,
        @Indexed String customerId,
        String identityKey,
        String kind,
        String platform,
        String orderId,
        String sku,
        String text,
        Integer rating,
        boolean resolved,
        Instant occurredAt,
        String source) {

    public static final String INQUIRY = "inquiry";
    public static final String MESSAGE = "message";
    public static final String COMPLAINT = "complaint";
    public static final String REVIEW = "review";
}
