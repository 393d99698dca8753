package dev.caravan.segment;

import java.time.Instant;
import java.util.List;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * What segments need to know about one customer's behaviour, keyed by customer id, so that evaluating behaviour
 * conditions is one primary-key read instead of a scan of {@code behaviour_events}. Maintained only by the
 * membership worker (one writer), from the events queued for the customer and from their orders. Every fold is
 * idempotent: entries merge by event id, last-seen times by maximum, folded orders by key.
 *
 * @param entries recent behaviour events (type, time, category) within {@code caravan.segments.behaviour-days},
 *                newest {@code max-entries} kept: the basis of counts and interests
 * @param last    last time per event type ({@code f = "event"}), per category and per SKU ({@code f = "category"},
 *                {@code "sku"}), orders included, newest {@code max-keys} kept
 * @param orders  keys of the orders already folded in
 */
@Document("segment_behaviour")
public record BehaviourSummary(@MongoId(FieldType.STRING) String customerId, List<Entry> entries, List<Last> last,
                               List<String> orders, Instant updatedAt) {

    public BehaviourSummary {
        entries = entries == null ? List.of() : entries;
        last = last == null ? List.of() : last;
        orders = orders == null ? List.of() : orders;
    }

    public static BehaviourSummary empty(String customerId) {
        return new BehaviourSummary(customerId, List.of(), List.of(), List.of(), null);
    }

    /** One behaviour event: id, type, time, category (may be null). */
    public record Entry(String id, String t, Instant at, String c) {
    }

    /** Last time of an event type, or of a category or SKU within an event type. */
    public record Last(String t, String f, String k, Instant at) {
    }
}
