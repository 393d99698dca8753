package dev.caravan.customer;

import dev.caravan.common.store.ByIds;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.bson.Document;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.convert.MongoConverter;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/**
 * Recomputes customers' metrics from their orders. Used after merges, after imports (to repair any drift of the
 * incremental counters) and by the nightly job. Writes only metrics that differ.
 */
@Service
public class CustomerMetricsService {

    private final MongoTemplate mongo;
    private final CustomerMetricsSource source;

    public CustomerMetricsService(MongoTemplate mongo, CustomerMetricsSource source) {
        this.mongo = mongo;
        this.source = source;
    }

    public void recompute(Collection<String> customerIds) {
        if (customerIds.isEmpty()) {
            return;
        }
        Map<String, CustomerMetrics> computed = new HashMap<>(source.compute(customerIds));
        for (String id : customerIds) {
            computed.putIfAbsent(id, CustomerMetrics.EMPTY);
        }
        Map<String, CustomerMetrics> current = new HashMap<>();
        ByIds.find(mongo, customerIds, Customer.class, null, q -> q.fields().include("metrics"))
                .forEach(c -> current.put(c.getId(), c.getMetrics()));
        writeChanged(computed, current);
    }

    /** Recomputes every customer's metrics; returns how many changed. */
    public long recomputeAll() {
        Map<String, CustomerMetrics> current = new HashMap<>();
        Query q = new Query();
        q.fields().include("metrics");
        mongo.stream(q, Customer.class).forEach(c -> current.put(c.getId(), c.getMetrics()));
        Map<String, CustomerMetrics> computed = new HashMap<>();
        source.computeAll((id, m) -> {
            if (current.containsKey(id)) {
                computed.put(id, m);
            }
        });
        current.keySet().forEach(id -> computed.putIfAbsent(id, CustomerMetrics.EMPTY));
        return writeChanged(computed, current);
    }

    private long writeChanged(Map<String, CustomerMetrics> computed, Map<String, CustomerMetrics> current) {
        MongoConverter converter = mongo.getConverter();
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, Customer.class);
        AtomicLong changed = new AtomicLong();
        computed.forEach((id, metrics) -> {
            CustomerMetrics now = current.get(id);
            if (now != null && !sameMetrics(now, metrics)) {
                Document doc = new Document();
                converter.write(metrics, doc);
                doc.remove("_class");
                bulk.updateOne(Query.query(Criteria.where("_id").is(id)), new Update().set("metrics", doc));
                changed.incrementAndGet();
            }
        });
        if (changed.get() > 0) {
            bulk.execute();
        }
        return changed.get();
    }

    static boolean sameMetrics(CustomerMetrics a, CustomerMetrics b) {
        return a.orderCount() == b.orderCount() && a.returnCount() == b.returnCount()
                && a.totalSpend().compareTo(b.totalSpend()) == 0 && a.refundTotal().compareTo(b.refundTotal()) == 0
                && java.util.Objects.equals(a.firstOrderAt(), b.firstOrderAt())
                && java.util.Objects.equals(a.lastOrderAt(), b.lastOrderAt())
                && a.platforms().equals(b.platforms());
    }
}
