package dev.caravan.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One order as seen in a customer's purchase history: enough for recency/frequency/monetary calculations,
 * purchase rhythm and coupon use without reading the orders themselves.
 */
public record Purchase(String orderKey, Instant placedAt, BigDecimal totalBase, String platform, String status,
                       boolean couponUsed, List<String> categories) {

    public boolean counts() {
        return !OrderStatus.CANCELLED.equals(status) && totalBase != null && placedAt != null;
    }

    /** From a raw order document read with only the fields a purchase needs (bulk rebuilds). */
    static Purchase of(org.bson.Document o) {
        List<org.bson.Document> lines = o.getList("lines", org.bson.Document.class, List.of());
        List<String> categories = lines.stream().map(l -> l.getString("category"))
                .filter(c -> c != null && !c.isBlank()).distinct().toList();
        Object total = o.get("totalBase");
        java.util.Date placed = o.getDate("placedAt");
        List<?> coupons = o.getList("couponCodes", Object.class, List.of());
        return new Purchase(o.getString("_id"), placed == null ? null : placed.toInstant(),
                total instanceof org.bson.types.Decimal128 d ? d.bigDecimalValue() : null, o.getString("platform"),
                o.getString("status"), !coupons.isEmpty(), categories);
    }

    static Purchase of(Order o) {
        List<String> categories = o.lines() == null ? List.of() : o.lines().stream().map(OrderLine::category)
                .filter(c -> c != null && !c.isBlank()).distinct().toList();
        return new Purchase(o.id(), o.placedAt(), o.totalBase(), o.platform(), o.status(),
                o.couponCodes() != null && !o.couponCodes().isEmpty(), categories);
    }
}
