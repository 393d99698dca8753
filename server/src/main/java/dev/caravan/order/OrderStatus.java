package dev.caravan.order;

import java.util.List;
import java.util.Locale;

/** Order statuses as stored and accepted on input. A cancelled order counts in no metric. */
public final class OrderStatus {

    public static final String PLACED = "placed";
    public static final String PAID = "paid";
    public static final String SHIPPED = "shipped";
    public static final String DELIVERED = "delivered";
    public static final String CANCELLED = "cancelled";
    public static final String REFUNDED = "refunded";

    public static final List<String> ALL = List.of(PLACED, PAID, SHIPPED, DELIVERED, CANCELLED, REFUNDED);

    private OrderStatus() {
    }

    public static String parse(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        if (s.equals("canceled")) s = CANCELLED;
        if (!ALL.contains(s)) {
            throw new IllegalArgumentException("status '" + raw + "' is not one of " + ALL);
        }
        return s;
    }
}
