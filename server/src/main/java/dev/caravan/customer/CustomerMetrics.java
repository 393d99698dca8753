package dev.caravan.customer;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * Purchase metrics maintained from orders and returns. Amounts are in the shop's base currency. Orders keep
 * them current with atomic increments; a full recalculation from the orders repairs any drift.
 */
public record CustomerMetrics(
        Instant firstOrderAt,
        Instant lastOrderAt,
        long orderCount,
        BigDecimal totalSpend,
        long returnCount,
        BigDecimal refundTotal,
        Set<String> platforms) {

    public static final CustomerMetrics EMPTY =
            new CustomerMetrics(null, null, 0, BigDecimal.ZERO, 0, BigDecimal.ZERO, Set.of());

    public CustomerMetrics {
        totalSpend = totalSpend == null ? BigDecimal.ZERO : totalSpend;
        refundTotal = refundTotal == null ? BigDecimal.ZERO : refundTotal;
        platforms = platforms == null ? Set.of() : new TreeSet<>(platforms);
    }

    /** Average order value in base currency, or zero without orders. */
    public BigDecimal averageOrderValue() {
        return orderCount == 0 ? BigDecimal.ZERO
                : totalSpend.divide(BigDecimal.valueOf(orderCount), Math.max(2, totalSpend.scale()), RoundingMode.HALF_EVEN);
    }

    /** Returns per order, capped at 1. */
    public double returnRate() {
        return orderCount == 0 ? 0.0 : Math.min(1.0, (double) returnCount / orderCount);
    }
}
