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
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.FindAndReplaceOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/**
 * Writes orders and returns idempotently and keeps customers' purchase histories (and with them their metrics)
 * current. For each batch it reads the stored versions by primary key, applies the inputs and writes only what
 * changed, so replays and re-imports change nothing.
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
     * @param deferAggregates leave purchase histories and metrics alone (bulk imports): the caller must call
     *                        {@link #rebuildAggregates} for the returned customers when the bulk work is done
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

        List<Object> events = new ArrayList<>();
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, Order.class);
        List<Order> changed = new ArrayList<>();
        Set<String> customers = new LinkedHashSet<>();
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
            if (before != null && before.customerId() != null) customers.add(before.customerId());
            if (after.customerId() != null) customers.add(after.customerId());
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
            if (!deferAggregates) histories.record(changed, List.of());
        }
        return new Result(customers, changed.size(), events);
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
        List<Object> events = new ArrayList<>();
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, ReturnRecord.class);
        List<ReturnRecord> changed = new ArrayList<>();
        Set<String> customers = new LinkedHashSet<>();
        for (Map.Entry<String, ReturnRecord> e : current.entrySet()) {
            ReturnRecord before = stored.get(e.getKey());
            ReturnRecord after = e.getValue();
            if (Objects.equals(before, after)) continue;
            bulk.replaceOne(Query.query(Criteria.where("_id").is(e.getKey())), after,
                    FindAndReplaceOptions.options().upsert());
            changed.add(after);
            if (before != null && before.customerId() != null) customers.add(before.customerId());
            if (after.customerId() != null) customers.add(after.customerId());
            if (before == null) {
                events.add(new OrderRefunded(after.id(), after.orderKey(), after.customerId(), after.kind(),
                        after.amountBase(), after.at(), live));
            }
        }
        if (!changed.isEmpty()) {
            bulk.execute();
            if (!deferAggregates) histories.record(List.of(), changed);
        }
        return new Result(customers, changed.size(), events);
    }

    /** Rebuilds the purchase histories and metrics of these customers after bulk writes with deferred aggregates. */
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
}
