package dev.caravan.rules;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.concurrent.atomic.AtomicReference;

import com.mongodb.client.MongoCursor;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Service;

/**
 * The population step: one pass over every customer's metrics builds percentile tables of recency, frequency and
 * net monetary value, then the value-score cut-offs at the tier shares of the active parameters. Stored in
 * {@code rule_population} so incremental evaluations (and other servers) rank against the same population.
 */
@Service
class PopulationService {

    private static final Logger log = LoggerFactory.getLogger(PopulationService.class);
    static final int POINTS = 1001;

    private final MongoTemplate mongo;
    private final Clock clock;
    private final AtomicReference<Population> cached = new AtomicReference<>();

    PopulationService(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    /** The stored population if it matches the rule set's tier shares and is younger than maxAge, else a new one. */
    Population current(RuleSet rules, Duration maxAge) {
        Population p = cached.get();
        if (p == null) {
            p = mongo.findById(Population.CURRENT, Population.class);
            if (p != null) cached.set(p);
        }
        boolean stale = p == null || p.getComputedAt() == null
                || p.getComputedAt().plus(maxAge).isBefore(clock.instant())
                || movedALot(p.getScanned(), mongo.estimatedCount(dev.caravan.customer.Customer.class))
                || p.getCoreShare() != rules.coreShare() || p.getGrowthShare() != rules.growthShare();
        return stale ? computeAndStore(rules) : p;
    }

    /** More than 10 % more or fewer customers than when the statistics were computed (an import, say). */
    static boolean movedALot(long before, long now) {
        return Math.abs(now - before) > Math.max(100, before / 10);
    }

    Population computeAndStore(RuleSet rules) {
        Population p = compute(rules.coreShare(), rules.growthShare());
        mongo.save(p);
        cached.set(p);
        return p;
    }

    /** Computes without storing (dry runs of candidates with other tier shares). */
    Population compute(double coreShare, double growthShare) {
        long t0 = System.nanoTime();
        int n = 0;
        long scanned = 0;
        double[] recency = new double[1024];
        double[] frequency = new double[1024];
        double[] monetary = new double[1024];
        Document projection = new Document("metrics.lastOrderAt", 1).append("metrics.orderCount", 1)
                .append("metrics.totalSpend", 1).append("metrics.refundTotal", 1);
        try (MongoCursor<Document> cursor = mongo.getCollection("customers").find().projection(projection)
                .batchSize(5000).iterator()) {
            while (cursor.hasNext()) {
                scanned++;
                Document m = cursor.next().get("metrics", Document.class);
                if (m == null) continue;
                Number orders = m.get("orderCount", Number.class);
                Date last = m.getDate("lastOrderAt");
                if (orders == null || orders.longValue() <= 0 || last == null) continue;
                if (n == recency.length) {
                    recency = Arrays.copyOf(recency, n * 2);
                    frequency = Arrays.copyOf(frequency, n * 2);
                    monetary = Arrays.copyOf(monetary, n * 2);
                }
                recency[n] = FactBuilder.epochDay(last.toInstant());
                frequency[n] = orders.doubleValue();
                monetary[n] = Math.max(0, number(m.get("totalSpend")) - number(m.get("refundTotal")));
                n++;
            }
        }
        recency = Arrays.copyOf(recency, n);
        frequency = Arrays.copyOf(frequency, n);
        monetary = Arrays.copyOf(monetary, n);
        Population tables = new Population(Population.CURRENT, n, Population.table(recency, POINTS),
                Population.table(frequency, POINTS), Population.table(monetary, POINTS), 0, 0, coreShare, growthShare,
                clock.instant(), scanned);
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = (tables.recencyRank(recency[i]) + tables.frequencyRank(frequency[i])
                    + tables.monetaryRank(monetary[i])) / 3;
        }
        double coreMin = n == 0 ? 1 - coreShare : Population.quantile(scores, 1 - coreShare);
        double growthMin = n == 0 ? 1 - coreShare - growthShare : Population.quantile(scores, 1 - coreShare - growthShare);
        log.info("Population statistics over {} customers with orders in {} ms (core from score {}, growth from {})",
                n, (System.nanoTime() - t0) / 1_000_000, String.format("%.4f", coreMin), String.format("%.4f", growthMin));
        return new Population(Population.CURRENT, n, tables.recencyTable(), tables.frequencyTable(),
                tables.monetaryTable(), coreMin, growthMin, coreShare, growthShare, clock.instant(), scanned);
    }

    void forget() {
        cached.set(null);
    }

    private static double number(Object o) {
        if (o instanceof Decimal128 d) return d.bigDecimalValue().doubleValue();
        if (o instanceof Number n) return n.doubleValue();
        return 0;
    }
}
