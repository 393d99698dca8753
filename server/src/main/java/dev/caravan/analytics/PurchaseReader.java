package dev.caravan.analytics;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;

import com.mongodb.client.FindIterable;
import dev.caravan.order.OrderStatus;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads customers' purchases in bulk from {@code purchase_histories} (one document per customer, maintained by the
 * order feature) as raw documents: a full pass over a million customers must not build a mapped object per order.
 * Only purchases that count are kept (not cancelled, with a date and a base-currency amount), as in
 * {@code Purchase.counts()}.
 */
@Component
class PurchaseReader {

    static final String COLLECTION = "purchase_histories";

    /** One customer's counted purchases in time order; arrays are reused by the reader, copy what you keep. */
    static final class Purchases {
        String customerId;
        int count;
        long[] millis = new long[16];
        double[] values = new double[16];
        String[] platforms = new String[16];

        void add(long at, double value, String platform) {
            if (count == millis.length) {
                millis = java.util.Arrays.copyOf(millis, count * 2);
                values = java.util.Arrays.copyOf(values, count * 2);
                platforms = java.util.Arrays.copyOf(platforms, count * 2);
            }
            millis[count] = at;
            values[count] = value;
            platforms[count++] = platform;
        }
    }

    private final MongoTemplate mongo;

    PurchaseReader(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** Every customer with a purchase history ({@code ids} null), or just these. */
    void forEach(Collection<String> ids, Consumer<Purchases> consumer) {
        Document filter = ids == null ? new Document() : new Document("_id", new Document("$in", idValues(ids)));
        FindIterable<Document> docs = mongo.getCollection(COLLECTION).find(filter).batchSize(2000);
        Purchases p = new Purchases();
        for (Document doc : docs) {
            p.customerId = String.valueOf(doc.get("_id"));
            p.count = 0;
            List<?> list = doc.getList("purchases", Object.class);
            if (list != null) {
                for (Object o : list) {
                    if (!(o instanceof Document d)) continue;
                    Object placed = d.get("placedAt");
                    Object amount = d.get("totalBase");
                    if (!(placed instanceof Date date) || amount == null || OrderStatus.CANCELLED.equals(d.getString("status"))) {
                        continue;
                    }
                    p.add(date.getTime(), toDouble(amount), d.getString("platform"));
                }
            }
            sortIfNeeded(p);
            consumer.accept(p);
        }
    }

    private static void sortIfNeeded(Purchases p) {
        for (int i = 1; i < p.count; i++) {
            if (p.millis[i] < p.millis[i - 1]) {
                Integer[] idx = new Integer[p.count];
                for (int k = 0; k < p.count; k++) idx[k] = k;
                long[] m = p.millis.clone();
                double[] v = p.values.clone();
                String[] pl = p.platforms.clone();
                java.util.Arrays.sort(idx, (a, b) -> Long.compare(m[a], m[b]));
                for (int k = 0; k < p.count; k++) {
                    p.millis[k] = m[idx[k]];
                    p.values[k] = v[idx[k]];
                    p.platforms[k] = pl[idx[k]];
                }
                return;
            }
        }
    }

    static double toDouble(Object amount) {
        if (amount instanceof Decimal128 d) return d.bigDecimalValue().doubleValue();
        if (amount instanceof BigDecimal d) return d.doubleValue();
        if (amount instanceof Number n) return n.doubleValue();
        return Double.parseDouble(amount.toString());
    }

    /** Ids as raw query values (customer ids are stored as strings, see docs/ARCHITECTURE.md). */
    static List<Object> idValues(Collection<String> ids) {
        return new java.util.ArrayList<>(ids);
    }
}
