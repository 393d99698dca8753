package dev.caravan.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The event types the API accepts, grouped by what they create. Documented in docs/EVENTS.md; each type's
 * required properties are checked by {@link EventParser}.
 */
final class EventTypes {

    enum Kind { ORDER, RETURN, INTERACTION, BEHAVIOUR }

    static final Map<String, Kind> ALL = new LinkedHashMap<>();

    static {
        for (String t : new String[]{"order_placed", "order_paid", "order_shipped", "order_delivered", "order_cancelled"}) {
            ALL.put(t, Kind.ORDER);
        }
        ALL.put("order_refunded", Kind.RETURN);
        for (String t : new String[]{"inquiry", "message", "complaint", "review", "complaint_resolved"}) {
            ALL.put(t, Kind.INTERACTION);
        }
        for (String t : new String[]{"page_viewed", "product_viewed", "added_to_cart", "removed_from_cart",
                "checkout_started", "signed_up", "profile_updated", "searched"}) {
            ALL.put(t, Kind.BEHAVIOUR);
        }
    }

    /** Behaviour types about one product, which must name its SKU. */
    static final Set<String> PRODUCT_EVENTS = Set.of("product_viewed", "added_to_cart", "removed_from_cart");

    private EventTypes() {
    }
}
