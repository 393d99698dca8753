package dev.caravan.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import dev.caravan.customer.CustomerMetrics;
import dev.caravan.customer.CustomerMetricsSource;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.stereotype.Component;

/** Customer metrics computed from scratch by grouping the orders and returns collections. */
@Component
class OrderMetricsSource implements CustomerMetricsSource {

    private final MongoTemplate mongo;

    OrderMetricsSource(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** Above this many customers one pass over all orders beats a {@code $in} match (a scan per query anyway). */
    static final int FULL_PASS_ABOVE = 200;

    @Override
    public Map<String, CustomerMetrics> compute(Collection<String> customerIds) {
        Map<String, CustomerMetrics> out = new HashMap<>();
        if (customerIds.size() > FULL_PASS_ABOVE) {
            Set<String> wanted = new HashSet<>(customerIds);
            computeAll((id, m) -> { if (wanted.contains(id)) out.put(id, m); });
        } else {
            aggregate(Criteria.where("customerId").in(customerIds), out::put);
        }
        return out;
    }

    @Override
    public void computeAll(BiConsumer<String, CustomerMetrics> sink) {
        aggregate(Criteria.where("customerId").ne(null), sink);
    }

    private void aggregate(Criteria customers, BiConsumer<String, CustomerMetrics> sink) {
        Map<String, Document> orders = new HashMap<>();
        mongo.aggregate(Aggregation.newAggregation(
                        Aggregation.match(new Criteria().andOperator(customers,
                                Criteria.where("status").ne(OrderStatus.CANCELLED),
                                Criteria.where("totalBase").ne(null), Criteria.where("placedAt").ne(null))),
                        Aggregation.group("customerId").count().as("orders").sum("totalBase").as("spend")
                                .min("placedAt").as("first").max("placedAt").as("last").addToSet("platform").as("platforms")),
                "orders", Document.class).forEach(d -> orders.put(d.getString("_id"), d));
        Map<String, Document> returns = new HashMap<>();
        mongo.aggregate(Aggregation.newAggregation(
                        Aggregation.match(customers),
                        Aggregation.group("customerId").count().as("returns").sum("amountBase").as("refunds")),
                "returns", Document.class).forEach(d -> returns.put(d.getString("_id"), d));

        Set<String> ids = new HashSet<>(orders.keySet());
        ids.addAll(returns.keySet());
        for (String id : ids) {
            Document o = orders.get(id);
            Document r = returns.get(id);
            sink.accept(id, new CustomerMetrics(
                    o == null ? null : instant(o.get("first")),
                    o == null ? null : instant(o.get("last")),
                    o == null ? 0 : number(o.get("orders")).longValue(),
                    o == null ? BigDecimal.ZERO : decimal(o.get("spend")),
                    r == null ? 0 : number(r.get("returns")).longValue(),
                    r == null ? BigDecimal.ZERO : decimal(r.get("refunds")),
                    o == null ? Set.of() : new HashSet<>(o.getList("platforms", String.class, List.of()))));
        }
    }

    private static Instant instant(Object o) {
        return o instanceof Date d ? d.toInstant() : null;
    }

    private static Number number(Object o) {
        return o instanceof Number n ? n : 0;
    }

    private static BigDecimal decimal(Object o) {
        if (o instanceof Decimal128 d) return d.bigDecimalValue();
        if (o instanceof Number n) return new BigDecimal(n.toString());
        return BigDecimal.ZERO;
    }
}
