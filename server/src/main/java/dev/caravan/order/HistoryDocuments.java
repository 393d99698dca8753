package dev.caravan.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import dev.caravan.customer.CustomerMetrics;
import org.bson.Document;
import org.bson.types.Decimal128;

/**
 * Store documents of purchase histories and customer metrics, built by hand for the hot write path. Field names
 * are those of the default mapping, so Spring Data reads them back into {@link PurchaseHistory} and
 * {@link CustomerMetrics} as usual.
 */
final class HistoryDocuments {

    private HistoryDocuments() {
    }

    static Document history(PurchaseHistory h) {
        List<Document> purchases = new ArrayList<>(h.purchases().size());
        for (Purchase p : h.purchases()) {
            Document d = new Document("orderKey", p.orderKey());
            put(d, "placedAt", date(p.placedAt()));
            put(d, "totalBase", decimal(p.totalBase()));
            put(d, "platform", p.platform());
            put(d, "status", p.status());
            d.put("couponUsed", p.couponUsed());
            d.put("categories", p.categories() == null ? List.of() : p.categories());
            purchases.add(d);
        }
        List<Document> refunds = new ArrayList<>(h.refunds().size());
        for (RefundEntry r : h.refunds()) {
            Document d = new Document("key", r.key());
            put(d, "at", date(r.at()));
            put(d, "amountBase", decimal(r.amountBase()));
            refunds.add(d);
        }
        return new Document("_id", h.customerId()).append("purchases", purchases).append("refunds", refunds);
    }

    static Document metrics(CustomerMetrics m) {
        Document d = new Document();
        put(d, "firstOrderAt", date(m.firstOrderAt()));
        put(d, "lastOrderAt", date(m.lastOrderAt()));
        d.put("orderCount", m.orderCount());
        d.put("totalSpend", decimal(m.totalSpend()));
        d.put("returnCount", m.returnCount());
        d.put("refundTotal", decimal(m.refundTotal()));
        d.put("platforms", new ArrayList<>(m.platforms()));
        return d;
    }

    private static void put(Document d, String key, Object value) {
        if (value != null) d.put(key, value);
    }

    private static Decimal128 decimal(BigDecimal v) {
        return v == null ? null : new Decimal128(v);
    }

    private static Date date(Instant i) {
        return i == null ? null : Date.from(i);
    }
}
