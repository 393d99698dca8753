package dev.caravan.segment;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.caravan.common.store.ByIds;
import dev.caravan.customer.Customer;
import dev.caravan.order.PurchaseHistories;
import dev.caravan.order.PurchaseHistory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Evaluates a condition against the customers as they are now: reads the customers the pushdown lets through (in
 * id order), with their purchase histories and behaviour summaries only when the condition needs them, in chunks.
 */
@Component
class SegmentEvaluator {

    /** How many customers were read and how many matched. */
    record Result(long matched, long scanned, long tookMs) {
    }

    private final MongoTemplate mongo;
    private final PurchaseHistories histories;
    private final SegmentProperties props;
    private final Clock clock;

    SegmentEvaluator(MongoTemplate mongo, PurchaseHistories histories, SegmentProperties props, Clock clock) {
        this.mongo = mongo;
        this.histories = histories;
        this.props = props;
        this.clock = clock;
    }

    /** Calls {@code onMatch} for every matching customer, in id order. */
    Result scan(CompiledCondition c, Consumer<Customer> onMatch) {
        long start = System.nanoTime();
        Instant now = clock.instant();
        Query q = c.pushdown == null ? new Query() : Query.query(c.pushdown);
        q.with(Sort.by("_id"));
        long[] counts = new long[2];
        List<Customer> chunk = new ArrayList<>(props.chunk());
        try (Stream<Customer> stream = mongo.stream(q, Customer.class)) {
            stream.forEach(cust -> {
                chunk.add(cust);
                if (chunk.size() == props.chunk()) {
                    evaluate(c, chunk, now, counts, onMatch);
                    chunk.clear();
                }
            });
        }
        evaluate(c, chunk, now, counts, onMatch);
        return new Result(counts[1], counts[0], (System.nanoTime() - start) / 1_000_000);
    }

    /** The ids of every matching customer. */
    List<String> ids(CompiledCondition c) {
        List<String> out = new ArrayList<>();
        scan(c, cust -> out.add(cust.getId()));
        return out;
    }

    private void evaluate(CompiledCondition c, List<Customer> chunk, Instant now, long[] counts, Consumer<Customer> onMatch) {
        if (chunk.isEmpty()) return;
        List<String> ids = chunk.stream().map(Customer::getId).toList();
        Map<String, PurchaseHistory> history = c.needsHistory ? histories.of(ids) : Map.of();
        Map<String, BehaviourSummary> behaviour = new HashMap<>();
        if (c.needsBehaviour) ByIds.find(mongo, ids, BehaviourSummary.class).forEach(s -> behaviour.put(s.customerId(), s));
        for (Customer cust : chunk) {
            counts[0]++;
            if (c.test(new SegmentFacts(cust, history.get(cust.getId()), behaviour.get(cust.getId()), now, props))) {
                counts[1]++;
                onMatch.accept(cust);
            }
        }
    }
}
