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

    static Purchase of(Order o) {
        List<String> categories = o.lines() == null ? List.of() : o.lines().stream().map(OrderLine::category)
                .filter(c -> c != null && !c.isBlank()).distinct().toList();
        return new Purchase(o.id(), o.placedAt(), o.totalBase(), o.platform(), o.status(),
                o.couponCodes() != null && !o.couponCodes().isEmpty(), categories);
    }
}
