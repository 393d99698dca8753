package dev.caravan.bench;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.caravan.CaravanApplication;
import dev.caravan.customer.CustomersChanged;
import dev.caravan.ingest.imports.ImportService;
import dev.caravan.rules.CustomerFact;
import dev.caravan.rules.RulesBench;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Rules benchmarks (not part of the test suite). Modes:
 * <ul>
 *   <li>{@code engine N}: the rule phase alone over N synthetic customer facts (5 rounds)</li>
 *   <li>{@code store N}: N synthetic customers with purchase histories in the embedded in-memory store; a first full
 *       evaluation (everyone changes), a second one (steady state), then incremental latency: single-customer
 *       evaluations and event-to-written latency through the worker</li>
 *   <li>{@code retail PATH}: imports the UCI Online Retail file, runs a full evaluation and reports tier shares and
 *       the core tier's share of revenue</li>
 * </ul>
 * Run: see docs/RULES.md ("Benchmarks").
 */
public final class RulesEngineBench {

    private RulesEngineBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "engine";
        switch (mode) {
            case "engine" -> engine(args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000);
            case "store" -> store(args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000);
            case "retail" -> retail(args.length > 1 ? args[1] : "../shared/datasets/online_retail/online_retail.csv.gz");
            default -> throw new IllegalArgumentException("mode: engine | store | retail");
        }
        System.exit(0);
    }

    static void engine(int n) throws Exception {
        Object rules = RulesBench.packagedRules();
        Random rnd = new Random(42);
        List<CustomerFact> facts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) facts.add(syntheticFact("c" + i, rnd));
        System.out.printf("engine: %,d synthetic facts, rule set with %s%n", n, "tiers, lifecycle, tags, churn, membership table");
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= 5; round++) {
            long t0 = System.nanoTime();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long done = RulesBench.rulePhase(rules, facts, 2000, 0.8, 0.5);
            double s = (System.nanoTime() - t0) / 1e9;
            double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
            System.out.printf("round %d: %,d customers in %.2f s wall = %,.0f customers/s; %.2f s CPU of the evaluating "
                    + "thread = %,.0f customers per CPU-second%n", round, done, s, done / s, cpu, done / cpu);
        }
        for (int round = 1; round <= 3; round++) {
            long t0 = System.nanoTime();
            long done = RulesBench.rulePhaseParallel(rules, facts, 2000, 2);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("2 threads, round %d: %,d customers in %.2f s wall = %,.0f customers/s%n", round, done, s,
                    done / s);
        }
        Map<String, Integer> tiers = new HashMap<>();
        facts.forEach(f -> tiers.merge(f.tierDecision().value(), 1, Integer::sum));
        System.out.println("tiers of the synthetic facts: " + tiers);
    }

    static CustomerFact syntheticFact(String id, Random rnd) {
        CustomerFact f = new CustomerFact(id);
        int orders = 1 + (int) Math.floor(-Math.log(1 - rnd.nextDouble()) * 3);
        f.setOrderCount(orders);
        f.setTotalSpend(orders * (20 + rnd.nextDouble() * 150));
        f.setAvgOrderValue(f.getTotalSpend() / orders);
        f.setOrders12m(rnd.nextInt(orders + 1));
        f.setSpend12m(f.getOrders12m() * f.getAvgOrderValue());
        f.setDaysSinceFirstOrder(30 + rnd.nextInt(1000));
        f.setDaysSinceLastOrder(rnd.nextInt(f.getDaysSinceFirstOrder()));
        f.setAvgGapDays(orders > 1 ? (f.getDaysSinceFirstOrder() - f.getDaysSinceLastOrder()) / (double) (orders - 1) : 0);
        f.setCouponShare(rnd.nextDouble() < 0.2 ? rnd.nextDouble() : 0);
        f.setReturnCount(rnd.nextDouble() < 0.1 ? rnd.nextInt(3) : 0);
        f.setReturnRate(Math.min(1, (double) f.getReturnCount() / orders));
        f.setPlatformCount(1 + (rnd.nextDouble() < 0.15 ? 1 : 0));
        f.setComplaints(rnd.nextDouble() < 0.05 ? 1 + rnd.nextInt(2) : 0);
        f.setOpenComplaints(f.getComplaints() > 0 && rnd.nextBoolean() ? 1 : 0);
        f.setDaysSinceOldestOpenComplaint(f.getOpenComplaints() > 0 ? rnd.nextInt(10) : -1);
        f.setDaysSinceLastActivity(f.getDaysSinceLastOrder());
        if (rnd.nextBoolean()) {
            f.setAliveProbability(rnd.nextDouble());
            f.setClv(rnd.nextDouble() * 2000);
        }
        f.rank(rnd.nextDouble(), rnd.nextDouble(), rnd.nextDouble());
        return f;
    }

    // ---- embedded store ----

    static ConfigurableApplicationContext boot(String name) throws Exception {
        Path dir = Files.createTempDirectory("caravan-bench-" + name);
        // command-line arguments: they override application.yml (default properties would not)
        return new SpringApplicationBuilder(CaravanApplication.class).run(
                "--server.port=0", "--caravan.data-dir=" + dir, "--caravan.demo=false",
                "--caravan.admin-password=bench-admin-password", "--caravan.store.embedded-backend=memory",
                "--caravan.rules.full-evaluation-cron=-", "--caravan.rules.evaluate-on-activation=false",
                "--logging.level.root=WARN", "--logging.level.dev.caravan.rules=INFO");
    }

    static void store(int n) throws Exception {
        ConfigurableApplicationContext ctx = boot("store");
        MongoTemplate mongo = ctx.getBean(MongoTemplate.class);
        long t0 = System.nanoTime();
        seed(mongo, n);
        System.out.printf("seeded %,d customers and purchase histories in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);

        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int run = 1; run <= 2; run++) {
            BenchServer.awaitIdle(); // the first pass's consequences (segments, journeys) finish before the second
            // -Dbench.jfr=FILE records the second pass (nothing changes) alone with the profiling settings
            jdk.jfr.Recording jfr = run == 2 && System.getProperty("bench.jfr") != null
                    ? new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile")) : null;
            if (jfr != null) jfr.start();
            long t = System.nanoTime();
            long cpu = os.getProcessCpuTime();
            Map<String, Long> c = RulesBench.fullEvaluation(ctx);
            if (jfr != null) {
                jfr.stop();
                jfr.dump(Path.of(System.getProperty("bench.jfr")));
            }
            double s = (System.nanoTime() - t) / 1e9;
            double cpuS = (os.getProcessCpuTime() - cpu) / 1e9;
            System.out.printf("full evaluation %d: %,d customers in %.1f s wall (%,.0f/s); process CPU %.1f s "
                    + "(client, embedded store and GC together); %,d changed; load average %.1f; counters %s%n",
                    run, c.get("evaluated"), s, c.get("evaluated") / s, cpuS, c.get("changed"),
                    os.getSystemLoadAverage(), c);
        }

        // one customer through the worker's path: read, rules, write
        Random rnd = new Random(7);
        long[] single = new long[2000];
        for (int i = 0; i < single.length; i++) {
            String id = id(rnd.nextInt(n));
            long t = System.nanoTime();
            RulesBench.evaluateOne(ctx, id);
            single[i] = System.nanoTime() - t;
        }
        report("one-customer evaluation (read + rules + write)", Arrays.copyOfRange(single, 200, single.length));
        System.out.printf("load average %.1f%n", os.getSystemLoadAverage());

        // end to end: a purchase-history change, CustomersChanged published, until the rules' event is out
        Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
        ctx.addApplicationListener((ApplicationListener<ApplicationEvent>) e -> {
            if (e instanceof PayloadApplicationEvent<?> p && p.getPayload() instanceof dev.caravan.rules.MembershipChanged m) {
                CountDownLatch l = waiting.get(m.customerId());
                if (l != null) l.countDown();
            }
        });
        List<Long> e2e = new ArrayList<>();
        int timeouts = 0;
        for (int i = 0; i < 1000; i++) {
            String id = id(rnd.nextInt(n));
            Instant now = Instant.now();
            List<Document> purchases = new ArrayList<>();
            for (int k = 0; k < 12; k++) {
                purchases.add(purchase(id + "-big" + k, now.minus(Duration.ofDays(10 + k * 20L)), 900, "amazon", false));
            }
            mongo.getCollection("purchase_histories").replaceOne(new Document("_id", id),
                    new Document("_id", id).append("purchases", purchases));
            CountDownLatch latch = new CountDownLatch(1);
            waiting.put(id, latch);
            long t = System.nanoTime();
            ctx.publishEvent(new CustomersChanged(Set.of(id), "bench", true));
            if (latch.await(5, TimeUnit.SECONDS)) e2e.add(System.nanoTime() - t);
            else timeouts++;
            waiting.remove(id);
        }
        long[] lat = e2e.stream().mapToLong(Long::longValue).toArray();
        report("event to MembershipChanged through the queue and worker (" + timeouts + " without level change)",
                Arrays.copyOfRange(lat, Math.min(100, lat.length), lat.length));
        ctx.close();
    }

    static String id(int i) {
        return String.format("c%07d", i);
    }

    static void seed(MongoTemplate mongo, int n) {
        Random rnd = new Random(1);
        Instant now = Instant.now();
        List<Document> customers = new ArrayList<>(10_000);
        List<Document> histories = new ArrayList<>(10_000);
        for (int i = 0; i < n; i++) {
            String id = id(i);
            int orders = 1 + (int) Math.floor(-Math.log(1 - rnd.nextDouble()) * 2.5);
            Instant first = now.minus(Duration.ofDays(30 + rnd.nextInt(900)));
            long span = Duration.between(first, now).toDays();
            List<Document> purchases = new ArrayList<>(orders);
            BigDecimal spend = BigDecimal.ZERO;
            Instant last = first;
            String platform = rnd.nextDouble() < 0.6 ? "amazon" : rnd.nextBoolean() ? "ebay" : "shopify";
            for (int k = 0; k < orders; k++) {
                Instant at = k == 0 ? first : first.plus(Duration.ofDays(rnd.nextInt((int) Math.max(1, span))));
                double amount = Math.round((15 + rnd.nextDouble() * 180) * 100) / 100.0;
                spend = spend.add(BigDecimal.valueOf(amount));
                if (at.isAfter(last)) last = at;
                purchases.add(purchase(id + "-" + k, at, amount, platform, rnd.nextDouble() < 0.2));
            }
            Document metrics = new Document("firstOrderAt", Date.from(first)).append("lastOrderAt", Date.from(last))
                    .append("orderCount", (long) orders).append("totalSpend", new Decimal128(spend))
                    .append("returnCount", 0L).append("refundTotal", new Decimal128(BigDecimal.ZERO))
                    .append("platforms", List.of(platform));
            Document c = new Document("_id", id).append("displayName", "Customer " + i)
                    .append("emails", List.of()).append("tags", List.of()).append("metrics", metrics)
                    .append("createdAt", Date.from(first)).append("updatedAt", Date.from(now));
            if (rnd.nextBoolean()) {
                c.append("predictions", new Document("pAlive", rnd.nextDouble())
                        .append("clv", new Decimal128(BigDecimal.valueOf(Math.round(rnd.nextDouble() * 200000) / 100.0))));
            }
            customers.add(c);
            histories.add(new Document("_id", id).append("purchases", purchases));
            if (customers.size() == 10_000) {
                mongo.getCollection("customers").insertMany(customers);
                mongo.getCollection("purchase_histories").insertMany(histories);
                customers.clear();
                histories.clear();
            }
        }
        if (!customers.isEmpty()) {
            mongo.getCollection("customers").insertMany(customers);
            mongo.getCollection("purchase_histories").insertMany(histories);
        }
    }

    static Document purchase(String key, Instant at, double amount, String platform, boolean coupon) {
        return new Document("orderKey", key).append("placedAt", Date.from(at))
                .append("totalBase", new Decimal128(BigDecimal.valueOf(amount))).append("platform", platform)
                .append("status", "delivered").append("couponUsed", coupon).append("categories", List.of());
    }

    static void report(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        if (s.length == 0) {
            System.out.println(what + ": no samples");
            return;
        }
        System.out.printf("%s: n=%d p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms%n", what, s.length,
                s[s.length / 2] / 1e6, s[(int) (s.length * 0.9)] / 1e6, s[(int) (s.length * 0.99)] / 1e6,
                s[s.length - 1] / 1e6);
    }

    // ---- Online Retail ----

    static void retail(String path) throws Exception {
        Path file = Path.of(path);
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no file " + file.toAbsolutePath());
        ConfigurableApplicationContext ctx = boot("retail");
        ImportService imports = ctx.getBean(ImportService.class);
        long t0 = System.nanoTime();
        String jobId;
        try (InputStream in = Files.newInputStream(file)) {
            jobId = imports.submit("orders", "uci-online-retail", in, file.getFileName().toString(), "bench").getId();
        }
        while (!imports.get(jobId).getState().finished()) RulesBench.sleep(500);
        System.out.printf("imported in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, imports.get(jobId).getCounters());
        while (!RulesBench.workerIdle(ctx)) RulesBench.sleep(500);
        long t1 = System.nanoTime();
        Map<String, Long> counters = RulesBench.fullEvaluation(ctx);
        System.out.printf("full evaluation in %.1f s: %s%n", (System.nanoTime() - t1) / 1e9, counters);
        MongoTemplate mongo = ctx.getBean(MongoTemplate.class);
        Map<String, long[]> count = new HashMap<>();
        Map<String, BigDecimal> revenue = new HashMap<>();
        BigDecimal total = BigDecimal.ZERO;
        long withOrders = 0;
        for (Document c : mongo.getCollection("customers").find()) {
            Document m = c.get("metrics", Document.class);
            if (m == null || m.get("orderCount", Number.class) == null || m.get("orderCount", Number.class).longValue() == 0) continue;
            withOrders++;
            BigDecimal net = ((Decimal128) m.get("totalSpend")).bigDecimalValue()
                    .subtract(((Decimal128) m.get("refundTotal")).bigDecimalValue());
            String tier = c.getString("tier");
            count.computeIfAbsent(tier, k -> new long[1])[0]++;
            revenue.merge(tier, net, BigDecimal::add);
            total = total.add(net);
        }
        System.out.printf("customers with orders: %,d; net revenue %s (base currency)%n", withOrders, total.setScale(2, java.math.RoundingMode.HALF_UP));
        for (String tier : List.of("core", "growth", "base")) {
            long k = count.getOrDefault(tier, new long[1])[0];
            BigDecimal r = revenue.getOrDefault(tier, BigDecimal.ZERO);
            System.out.printf("%-6s %,6d customers (%.1f%%)  revenue %.1f%%%n", tier, k, 100.0 * k / withOrders,
                    r.doubleValue() * 100 / total.doubleValue());
        }
        ctx.close();
    }
}
