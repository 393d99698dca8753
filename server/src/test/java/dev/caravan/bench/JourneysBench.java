package dev.caravan.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.caravan.CaravanApplication;
import dev.caravan.workflow.JourneyBenchSupport;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Journeys at scale: {@code -Dbench.journeys} (default 100,000) customers each enter a journey that waits on a
 * 24-hour BPMN timer (persistent JobsService); reports start rate, heap after GC and store size with all of them
 * waiting; then makes {@code -Dbench.due} (default 10,000) of the timers due and fires them, reporting timers/s.
 * Run: {@code ./bench journeys}. The poller is off; firing runs on the engine's workers ({@code -Dbench.workers}).
 */
public final class JourneysBench {

    public static void main(String[] args) throws Exception {
        int journeys = Integer.getInteger("bench.journeys", 100_000);
        int due = Integer.getInteger("bench.due", 10_000);
        int workers = Integer.getInteger("bench.workers", 4);
        Path dataDir = Files.createTempDirectory("caravan-bench");
        SpringApplication app = new SpringApplication(CaravanApplication.class);
        try (ConfigurableApplicationContext ctx = app.run("--server.port=0", "--caravan.demo=false",
                "--caravan.data-dir=" + dataDir, "--caravan.admin-password=bench-admin-password",
                "--caravan.store.embedded-backend=" + System.getProperty("bench.backend", "memory"),
                "--caravan.workflows.enabled=false", "--caravan.workflows.workers=" + workers,
                "--caravan.workflows.batch-size=1000", "--logging.level.root=WARN")) {
            MongoTemplate mongo = ctx.getBean(MongoTemplate.class);
            JourneyBenchSupport support = new JourneyBenchSupport(ctx);
            support.deployTimerJourney("bench-timer", "bench_start", "PT24H");

            long t0 = System.nanoTime();
            List<Document> customers = new ArrayList<>();
            Date now = Date.from(ctx.getBean(Clock.class).instant());
            for (int i = 0; i < journeys; i++) {
                customers.add(new Document("_id", "bc" + i).append("emails", List.of("bc" + i + "@example.com"))
                        .append("country", "DE").append("consents", new Document("email", new Document("granted", true)))
                        .append("createdAt", now).append("updatedAt", now));
                if (customers.size() == 5000) {
                    mongo.getCollection("customers").insertMany(customers);
                    customers.clear();
                }
            }
            if (!customers.isEmpty()) mongo.getCollection("customers").insertMany(customers);
            System.out.printf("customers: %d inserted in %.1f s%n", journeys, (System.nanoTime() - t0) / 1e9);

            t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < journeys) {
                        support.start("bc" + i, "bench_start");
                        if (i > 0 && i % 20_000 == 0) System.out.printf("  %d started%n", i);
                    }
                }));
            }
            for (Future<?> f : futures) f.get();
            pool.shutdown();
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("  load average during starts: %.1f%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf("started %d journeys in %.1f s: %.0f starts/s%n", journeys, startSeconds, journeys / startSeconds);

            System.gc();
            Thread.sleep(500);
            System.gc();
            Runtime rt = Runtime.getRuntime();
            long heap = rt.totalMemory() - rt.freeMemory();
            System.out.printf("waiting: %d instances, %d timers; heap used after GC %.0f MB (the in-memory store lives in this heap)%n",
                    mongo.getCollection("journey_instances").countDocuments(new Document("status", "ACTIVE")),
                    mongo.getCollection("journey_work").countDocuments(new Document("kind", "TIMER")), heap / 1048576.0);
            for (String c : List.of("journey_instances", "journey_work", "journey_customers")) {
                long bytes = 0;
                long n = 0;
                for (RawBsonDocument d : mongo.getDb().getCollection(c, RawBsonDocument.class).find().batchSize(1000)) {
                    bytes += d.getByteBuffer().remaining();
                    n++;
                }
                System.out.printf("store %-18s %7d docs %8.1f MB (%.0f bytes/doc)%n", c, n, bytes / 1048576.0, n == 0 ? 0.0 : (double) bytes / n);
            }

            List<Object> ids = new ArrayList<>();
            for (Document d : mongo.getCollection("journey_work").find(new Document("kind", "TIMER"))
                    .projection(new Document("_id", 1)).limit(due)) ids.add(d.get("_id"));
            Date past = Date.from(Instant.now().minusSeconds(60));
            for (int i = 0; i < ids.size(); i += 500) {
                mongo.getCollection("journey_work").updateMany(new Document("_id", new Document("$in", ids.subList(i, Math.min(ids.size(), i + 500)))),
                        new Document("$set", new Document("fireAt", past)));
            }
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            t0 = System.nanoTime();
            int fired = support.runDue();
            double fireSeconds = (System.nanoTime() - t0) / 1e9;
            double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
            System.out.printf("fired %d due timers in %.1f s: %.0f timers/s (each: timer → SendMessage → end)%n", fired, fireSeconds,
                    fired / fireSeconds);
            System.out.printf("  process CPU %.1f s = %.2f ms CPU per timer; %d cores; load average %.1f%n", cpuSeconds,
                    cpuSeconds * 1000 / Math.max(1, fired), os.getAvailableProcessors(), os.getSystemLoadAverage());
            System.out.printf("completed instances: %d, messages stored: %d%n",
                    mongo.getCollection("journey_instances").countDocuments(new Document("status", "COMPLETED")),
                    mongo.getCollection("journey_outbox").countDocuments());
        }
    }

    static Map<String, Object> none() {
        return Map.of();
    }
}
