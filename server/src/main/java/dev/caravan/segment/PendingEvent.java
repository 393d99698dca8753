package dev.caravan.segment;

import java.time.Instant;
import java.util.Map;

import dev.caravan.activity.ActivityRecorded;

/** A behaviour event waiting in the membership queue to be folded into the customer's {@link BehaviourSummary}. */
public record PendingEvent(String id, String t, Instant at, String sku, String c) {

    static PendingEvent of(ActivityRecorded e) {
        Map<String, Object> p = e.properties() == null ? Map.of() : e.properties();
        return new PendingEvent(e.eventId(), e.type(), e.occurredAt(), text(p.get("sku")), text(p.get("category")));
    }

    private static String text(Object o) {
        if (o == null) return null;
        String s = o.toString().trim();
        return s.isEmpty() ? null : s.length() > 120 ? s.substring(0, 120) : s;
    }
}
