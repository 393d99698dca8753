package dev.caravan.activity;

import java.time.Instant;
import java.util.Map;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * Every event accepted through the event API, keyed by the sender's {@code eventId}: the key makes replays
 * harmless and the collection doubles as the customer's behaviour history (views, carts, checkouts, orders...).
 */
@Document("behaviour_events")
public record BehaviourEvent(
        @MongoId(FieldType.STRING) String id,
        String type,
        Instant occurredAt,
        Instant receivedAt,
        @Indexed String customerId,
        String identityKey,
        String source,
        Map<String, Object> properties) {
}
