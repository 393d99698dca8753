package dev.caravan.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.caravan.customer.CustomerMetrics;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * Every order and refund of one customer in time order, keyed by the customer id. It exists because the embedded
 * store has no secondary indexes: reading one customer's orders from {@code orders} is a full scan, reading this is a
 * primary-key lookup. The customer's metrics are a function of it ({@link #metrics()}), so they never drift.
 * Maintained by {@link OrderWriter}; rebuilt from the orders on merge, unmerge and after bulk imports.
 */
@Document("purchase_histories")
public record PurchaseHistory(@MongoId(FieldType.STRING) String customerId, List<Purchase> purchases,
                              List<RefundEntry> refunds) {

    public PurchaseHistory {
        purchases = purchases == null ? List.of() : purchases;
        refunds = refunds == null ? List.of() : refunds;
    }

    public PurchaseHistory(String customerId, List<Purchase> purchases) {
        this(customerId, purchases, List.of());
    }

    /** Purchases that count (not cancelled, with an amount and a date). */
    public List<Purchase> counted() {
        return purchases.stream().filter(Purchase::counts).toList();
    }

    /** The customer's purchase metrics in the base currency. */
    public CustomerMetrics metrics() {
        Instant first = null;
        Instant last = null;
        BigDecimal spend = BigDecimal.ZERO;
        Set<String> platforms = new TreeSet<>();
        long orders = 0;
        for (Purchase p : purchases) {
            if (!p.counts()) continue;
            orders++;
            spend = spend.add(p.totalBase());
            if (first == null || p.placedAt().isBefore(first)) first = p.placedAt();
            if (last == null || p.placedAt().isAfter(last)) last = p.placedAt();
            if (p.platform() != null) platforms.add(p.platform());
        }
        BigDecimal refunded = BigDecimal.ZERO;
        for (RefundEntry r : refunds) {
            if (r.amountBase() != null) refunded = refunded.add(r.amountBase());
        }
        return new CustomerMetrics(first, last, orders, spend, refunds.size(), refunded, platforms);
    }
}
