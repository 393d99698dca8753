package dev.caravan.tracking;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * A browser on a shop, by its first-party anonymous id ({@code _id = siteKey:aid}). Until the shopper identifies,
 * their events wait here; on identify they join the customer's profile and {@code customerId} is set, after which
 * events go straight to the customer.
 */
@Document("tracking_visitors")
public record Visitor(@MongoId(FieldType.STRING) String id, String siteKey, String customerId, List<Buffered> events,
                      Instant firstSeen, Instant lastSeen) {

    public List<Buffered> buffered() {
        return events == null ? List.of() : events;
    }

    /** An event waiting for its visitor to identify. */
    public record Buffered(String eventId, String type, Instant at, Map<String, Object> properties) {
    }
}
