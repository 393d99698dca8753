package dev.caravan.order;

import dev.caravan.common.store.ByIds;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.caravan.money.ExchangeRateService;
import org.bson.types.Decimal128;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.FindAndReplaceOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/**
 * Writes orders and returns idempotently and keeps customer metrics current. For each batch it reads the stored
 * versions by primary key, applies the inputs, writes only what changed and adds to each customer's counters the
 * difference between the new and the old contribution, so replays and re-imports change nothing.
 * Callers hold the customer write lock, which keeps read-compute-write of one order from interleaving.
 */
@Service
public class OrderWriter {

    private final MongoTemplate mongo;
    private final ExchangeRateService rates;
    private final PurchaseHistories histories;

    public OrderWriter(MongoTemplate mongo, ExchangeRateService rates, PurchaseHistories histories) {
        this.mongo = mongo;
        this.rates = rates;
        this.histories = histories;
    }

    /**
     * @param changedCustomers customers whose metrics moved
     * @param written          documents inserted or changed
     * @param events           domain events to publish once the batch is stored
     */
    public record Result(Set<String> changedCustomers, int written, List<Object> events) {
    }

    public Result writeOrders(List<OrderInput> inputs, boolean live) {
        return writeOrders(inputs, live, false);
    }

    /**
     * @param deferAggregates leave customer metrics and purchase histories alone (bulk imports): the caller must
     *                        call {@link #rebuildAggregates} for the returned customers when the bulk work is done
     */
    public Result writeOrders(List<OrderInput> inputs, boolean live, boolean deferAggregates) {
        if (inputs.isEmpty()) return new Result(Set.of(), 0, List.of());
        Map<String, Order> stored = new HashMap<>();
        Set<String> keys = new LinkedHashSet<>();
        inputs.forEach(in -> keys.add(in.key()));
        ByIds.find(mongo, keys, Order.class).forEach(o -> stored.put(o.id(), o));

        Map<String, Order> current = new LinkedHashMap<>(stored);
        for (OrderInput in : inputs) {
            current.put(in.key(), apply(current.get(in.key()), in));
        }

        MetricDeltas deltas = new MetricDeltas();
        List<Object> events = new ArrayList<>();
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, Order.class);
        List<Order> changed = new ArrayList<>();
        for (String key : keys) {
            Order before = stored.get(key);
            Order after = current.get(key);
            if (Objects.equals(before, after)) continue;
            if (before == null) {
                bulk.insert(after); // cheaper than an upsert; the lock rules out a concurrent insert of the same key
            } else {
                bulk.replaceOne(Query.query(Criteria.where("_id").is(key)), after);
            }
            changed.add(after);
            if (before != null && before.counts()) deltas.subtractOrder(before);
            if (after.counts()) deltas.addOrder(after);
            if (before == null && after.placedAt() != null) {
                events.add(new OrderPlaced(key, after.customerId(), after.platform(), after.externalId(),
                        after.totalBase(), after.currency(), after.total(), after.placedAt(),
                        after.couponCodes() == null ? List.of() : after.couponCodes(), live));
            }
            String from = before == null ? null : before.status();
            if (!Objects.equals(from, after.status()) && after.status() != null
                    && !(before == null && OrderStatus.PLACED.equals(after.status()))) {
                events.add(new OrderStatusChanged(key, after.customerId(), from, after.status(),
                        statusTime(after), live));
            }
        }
        if (!changed.isEmpty()) {
            bulk.execute();
            if (!deferAggregates) histories.record(changed);
        }
        if (!deferAggregates) deltas.apply(mongo);
        return new Result(deltas.customers(), changed.size(), events);
    }

    public Result writeReturns(List<ReturnInput> inputs, boolean live) {
        return writeReturns(inputs, live, false);
    }

    public Result writeReturns(List<ReturnInput> inputs, boolean live, boolean deferAggregates) {
        if (inputs.isEmpty()) return new Result(Set.of(), 0, List.of());
        Set<String> keys = new LinkedHashSet<>();
        inputs.forEach(in -> keys.add(in.key()));
        Map<String, ReturnRecord> stored = new HashMap<>();
        ByIds.find(mongo, keys, ReturnRecord.class).forEach(r -> stored.put(r.id(), r));
        // A refund without an amount gives back the whole order.
        Set<String> wholeOrders = new HashSet<>();
        inputs.stream().filter(in -> in.amount() == null && in.orderId() != null)
                .forEach(in -> wholeOrders.add(Order.keyOf(in.platform(), in.storeId(), in.orderId())));
        Map<String, Order> refundedOrders = new HashMap<>();
        if (!wholeOrders.isEmpty()) {
            ByIds.find(mongo, wholeOrders, Order.class)
                    .forEach(o -> refundedOrders.put(o.id(), o));
        }
        Map<String, ReturnRecord> current = new LinkedHashMap<>();
        for (ReturnInput in : inputs) {
            current.put(in.key(), toRecord(in, refundedOrders));
        }
        MetricDeltas deltas = new MetricDeltas();
        List<Object> events = new ArrayList<>();
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, ReturnRecord.class);
        int written = 0;
        for (Map.Entry<String, ReturnRecord> e : current.entrySet()) {
            ReturnRecord before = stored.get(e.getKey());
            ReturnRecord after = e.getValue();
            if (Objects.equals(before, after)) continue;
            bulk.replaceOne(Query.query(Criteria.where("_id").is(e.getKey())), after,
                    FindAndReplaceOptions.options().upsert());
            written++;
            if (before != null && before.customerId() != null) deltas.subtractReturn(before);
            if (after.customerId() != null) deltas.addReturn(after);
            if (before == null) {
                events.add(new OrderRefunded(after.id(), after.orderKey(), after.customerId(), after.kind(),
                        after.amountBase(), after.at(), live));
            }
        }
        if (written > 0) bulk.execute();
        if (!deferAggregates) deltas.apply(mongo);
        return new Result(deltas.customers(), written, events);
    }

    /** Rebuilds the purchase histories of these customers after bulk writes with deferred aggregates. */
    public void rebuildAggregates(java.util.Collection<String> customerIds) {
        histories.rebuild(customerIds);
    }

    private ReturnRecord toRecord(ReturnInput in, Map<String, Order> refundedOrders) {
        String orderKey = in.orderId() == null ? null : Order.keyOf(in.platform(), in.storeId(), in.orderId());
        BigDecimal amount = in.amount();
        String currency = in.currency();
        Order whole = orderKey == null ? null : refundedOrders.get(orderKey);
        if (amount == null && whole != null) {
            amount = whole.total();
            currency = whole.currency();
        }
        BigDecimal base = amount == null || currency == null ? null : rates.toBase(amount, currency, day(in.at()));
        return new ReturnRecord(in.key(), in.platform(), in.storeId(), in.orderId(), orderKey, in.customerId(),
                in.identityKey(), in.kind(), in.lines(), currency, amount, base, in.reason(), in.at(), in.source());
    }

    Order apply(Order o, OrderInput in) {
        List<OrderLine> lines = o == null ? null : o.lines();
        if (in.lines() != null) {
            if (in.appendLines() && lines != null) {
                Set<Long> present = new HashSet<>();
                lines.forEach(l -> present.add(l.lineNo()));
                List<OrderLine> merged = new ArrayList<>(lines);
                in.lines().stream().filter(l -> l.lineNo() == null || !present.contains(l.lineNo())).forEach(merged::add);
                lines = merged;
            } else {
                lines = in.lines();
            }
        }
        String currency = in.currency() != null ? in.currency() : o == null ? null : o.currency();
        BigDecimal total = in.total();
        if (total == null && in.lines() != null) {
            total = lines.stream().map(OrderLine::total).reduce(BigDecimal.ZERO, BigDecimal::add);
        } else if (total == null && o != null) {
            total = o.total();
        }
        Instant placedAt = first(in.placedAt(), o == null ? null : o.placedAt());
        String customerId = first(in.customerId(), o == null ? null : o.customerId());
        BigDecimal totalBase = total == null || currency == null || placedAt == null ? null
                : rates.toBase(total, currency, day(placedAt));
        String status = first(in.status(), o == null ? OrderStatus.PLACED : o.status());
        return new Order(in.key(), in.platform(), in.storeId(), in.externalId(), customerId,
                first(in.identityKey(), o == null ? null : o.identityKey()), customerId == null, lines, currency, total,
                totalBase, totalBase == null ? null : rates.baseCurrency(), status, placedAt,
                first(in.shippedAt(), o == null ? null : o.shippedAt()),
                first(in.deliveredAt(), o == null ? null : o.deliveredAt()),
                first(in.cancelledAt(), o == null ? null : o.cancelledAt()),
                first(in.couponCodes(), o == null ? null : o.couponCodes()),
                first(in.country(), o == null ? null : o.country()),
                first(o == null ? null : o.source(), in.source())); // where the order first came from
    }

    private static Instant statusTime(Order o) {
        return switch (o.status()) {
            case OrderStatus.SHIPPED -> o.shippedAt();
            case OrderStatus.DELIVERED -> o.deliveredAt();
            case OrderStatus.CANCELLED -> o.cancelledAt();
            default -> o.placedAt();
        };
    }

    private static LocalDate day(Instant at) {
        return at == null ? LocalDate.now(ZoneOffset.UTC) : LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    private static <T> T first(T a, T b) {
        return a != null ? a : b;
    }

    /** Per-customer increments collected over a batch and written as one update per customer. */
    private static final class MetricDeltas {
        private final Map<String, long[]> counts = new LinkedHashMap<>();      // orders, returns
        private final Map<String, BigDecimal[]> money = new HashMap<>();       // spend, refunds
        private final Map<String, Instant[]> range = new HashMap<>();          // first, last order
        private final Map<String, Set<String>> platforms = new HashMap<>();

        void addOrder(Order o) { order(o, 1); }
        void subtractOrder(Order o) { order(o, -1); }
        void addReturn(ReturnRecord r) { ret(r, 1); }
        void subtractReturn(ReturnRecord r) { ret(r, -1); }

        private void order(Order o, int sign) {
            String id = o.customerId();
            counts.computeIfAbsent(id, k -> new long[2])[0] += sign;
            BigDecimal[] m = money.computeIfAbsent(id, k -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO});
            m[0] = m[0].add(sign > 0 ? o.totalBase() : o.totalBase().negate());
            if (sign > 0) {
                Instant[] r = range.computeIfAbsent(id, k -> new Instant[2]);
                r[0] = r[0] == null || o.placedAt().isBefore(r[0]) ? o.placedAt() : r[0];
                r[1] = r[1] == null || o.placedAt().isAfter(r[1]) ? o.placedAt() : r[1];
                platforms.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(o.platform());
            }
        }

        private void ret(ReturnRecord r, int sign) {
            String id = r.customerId();
            counts.computeIfAbsent(id, k -> new long[2])[1] += sign;
            if (r.amountBase() != null) {
                BigDecimal[] m = money.computeIfAbsent(id, k -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO});
                m[1] = m[1].add(sign > 0 ? r.amountBase() : r.amountBase().negate());
            }
        }

        Set<String> customers() {
            return counts.keySet();
        }

        void apply(MongoTemplate mongo) {
            if (counts.isEmpty()) return;
            // typed, so the mapper keeps the string ids as strings
            BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, dev.caravan.customer.Customer.class);
            int updates = 0;
            for (Map.Entry<String, long[]> e : counts.entrySet()) {
                String id = e.getKey();
                long[] c = e.getValue();
                Update u = new Update();
                if (c[0] != 0) u.inc("metrics.orderCount", c[0]);
                if (c[1] != 0) u.inc("metrics.returnCount", c[1]);
                BigDecimal[] m = money.get(id);
                if (m != null && m[0].signum() != 0) u.inc("metrics.totalSpend", new Decimal128(m[0]));
                if (m != null && m[1].signum() != 0) u.inc("metrics.refundTotal", new Decimal128(m[1]));
                Instant[] r = range.get(id);
                if (r != null) {
                    u.min("metrics.firstOrderAt", java.util.Date.from(r[0]));
                    u.max("metrics.lastOrderAt", java.util.Date.from(r[1]));
                }
                Set<String> p = platforms.get(id);
                if (p != null) u.addToSet("metrics.platforms").each(p.toArray());
                if (!u.getUpdateObject().isEmpty()) {
                    bulk.updateOne(Query.query(Criteria.where("_id").is(id)), u);
                    updates++;
                }
            }
            if (updates > 0) bulk.execute();
        }
    }
}
