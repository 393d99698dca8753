package dev.caravan.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds event JSON (as maps) for {@code POST /api/v1/events} in tests. */
public final class Events {

    private Events() {
    }

    public static Map<String, Object> customer(Object... keyValues) {
        return map(keyValues);
    }

    public static Map<String, Object> event(String eventId, String type, String occurredAt, Map<String, Object> customer,
                                            Map<String, Object> properties) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", eventId);
        e.put("type", type);
        e.put("occurredAt", occurredAt);
        e.put("customer", customer);
        e.put("properties", properties);
        return e;
    }

    public static Map<String, Object> order(String eventId, String occurredAt, Map<String, Object> customer,
                                            String orderId, String total, String currency) {
        return event(eventId, "order_placed", occurredAt, customer,
                map("orderId", orderId, "total", total, "currency", currency,
                        "lines", List.of(map("sku", "SKU-" + orderId, "quantity", 1, "unitPrice", total))));
    }

    public static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
