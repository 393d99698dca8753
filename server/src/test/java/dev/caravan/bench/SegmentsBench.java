package dev.caravan.bench;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Random;

import dev.caravan.segment.SegmentService;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Segments at scale on the embedded store: {@code -Dbench.customers} profiles (default 50,000) written straight into
 * the store, five segments (profile, metric, behaviour), then (1) live counts, (2) a full refresh of every segment
 * over every customer, (3) {@code -Dbench.events} product views (default 20,000) through the event API and the time
 * until every membership is current again. Run: {@code ./bench segments}.
 */
public final class SegmentsBench {

    public static void main(String[] args) throws Exception {
        int customers = Integer.getInteger("bench.customers", 50_000);
        int events = Integer.getInteger("bench.events", 20_000);
        try (BenchServer server = BenchServer.start()) {
            MongoTemplate mongo = server.bean(MongoTemplate.class);
            SegmentService segments = server.bean(SegmentService.class);
            Random random = new Random(7);
            String[] countries = {"GB", "DE", "FR", "US", "CN", "ES", "IT", "NL", "PL", "SE"};
            Instant now = Instant.now();
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < customers; i++) {
                long orders = random.nextInt(12);
                Document metrics = new Document("orderCount", orders).append("returnCount", 0L)
                        .append("totalSpend", new Decimal128(BigDecimal.valueOf(orders * (20 + random.nextInt(80)))))
                        .append("refundTotal", new Decimal128(BigDecimal.ZERO))
                        .append("platforms", List.of(random.nextBoolean() ? "amazon" : "shopify"));
                if (orders > 0) metrics.append("lastOrderAt", Date.from(now.minus(Duration.ofDays(random.nextInt(400)))));
                batch.add(new Document("_id", String.format("c%07d", i)).append("country", countries[random.nextInt(countries.length)])
                        .append("tier", random.nextInt(5) == 0 ? "core" : "base").append("tags", random.nextInt(4) == 0 ? List.of("vip") : List.of())
                        .append("emails", List.of("c" + i + "@example.com")).append("createdAt", Date.from(now)).append("metrics", metrics));
                if (batch.size() == 5000) {
                    mongo.getCollection("customers").insertMany(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) mongo.getCollection("customers").insertMany(batch);
            System.out.printf("%d customers stored%n", customers);

            HttpClient http = HttpClient.newHttpClient();
            String auth = "Basic " + Base64.getEncoder().encodeToString("admin:bench-admin-password".getBytes());
            String base = "http://127.0.0.1:" + server.port;
            String[] conditions = {
                    "{\"field\": \"country\", \"op\": \"eq\", \"value\": \"DE\"}",
                    "{\"all\": [{\"field\": \"country\", \"op\": \"in\", \"value\": [\"GB\", \"FR\"]}, {\"field\": \"orders\", \"op\": \"gte\", \"value\": 5}]}",
                    "{\"all\": [{\"field\": \"spend\", \"op\": \"gt\", \"value\": 300}, {\"field\": \"daysSinceLastOrder\", \"op\": \"gt\", \"value\": 90}]}",
                    "{\"any\": [{\"field\": \"tags\", \"op\": \"contains\", \"value\": \"vip\"}, {\"field\": \"tier\", \"op\": \"eq\", \"value\": \"core\"}]}",
                    "{\"event\": \"product_viewed\", \"field\": \"category\", \"op\": \"eq\", \"value\": \"bags\", \"days\": 30}"};
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < conditions.length; i++) {
                String body = "{\"name\": \"bench " + i + "\", \"condition\": " + conditions[i] + "}";
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/segments"))
                        .header("Authorization", auth).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                String id = r.body().replaceAll(".*\"id\":\"(seg_[0-9a-f]+)\".*", "$1");
                ids.add(id);
            }
            awaitIdle(segments, mongo);
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < ids.size(); i++) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/segments/" + ids.get(i) + "/count"))
                            .header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofString());
                    System.out.printf("count segment %d: %d ms  %s%n", i, (System.nanoTime() - t0) / 1_000_000, r.body());
                }
            }
            long t0 = System.nanoTime();
            long[] refreshed = segments.refreshAll();
            System.out.printf("full refresh: %d customers x %d segments in %d ms (%d entries, %d exits)%n", refreshed[0],
                    ids.size(), (System.nanoTime() - t0) / 1_000_000, refreshed[1], refreshed[2]);

            // incremental: product views through the event API, until memberships are current
            long cpu0 = cpu();
            t0 = System.nanoTime();
            for (int sent = 0; sent < events; sent += 500) {
                StringBuilder sb = new StringBuilder("[");
                for (int k = 0; k < 500 && sent + k < events; k++) {
                    if (k > 0) sb.append(',');
                    int c = random.nextInt(customers);
                    sb.append("{\"eventId\": \"bench-").append(sent + k).append("\", \"type\": \"product_viewed\", ")
                            .append("\"occurredAt\": \"").append(now.minusSeconds(random.nextInt(86_400))).append("\", ")
                            .append("\"customer\": {\"customerId\": \"").append(String.format("c%07d", c)).append("\"}, ")
                            .append("\"properties\": {\"sku\": \"S-").append(random.nextInt(300)).append("\", \"category\": \"")
                            .append(random.nextBoolean() ? "bags" : "shoes").append("\"}}");
                }
                sb.append(']');
                http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events")).header("Authorization", auth)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(sb.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            long ingested = System.nanoTime();
            awaitIdle(segments, mongo);
            long done = System.nanoTime();
            System.out.printf("%d events: ingested in %d ms, memberships current %d ms later; %.0f events/s end to end; "
                            + "process CPU %.1f s%n", events, (ingested - t0) / 1_000_000, (done - ingested) / 1_000_000,
                    events / ((done - t0) / 1e9), (cpu() - cpu0) / 1e9);
            System.out.printf("load average %.1f%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
        System.exit(0);
    }

    private static void awaitIdle(SegmentService segments, MongoTemplate mongo) throws InterruptedException {
        Thread.sleep(300);
        while (!segments.membershipIdle() || mongo.getCollection("jobs").countDocuments(new Document("kind", "segment-refresh")
                .append("state", new Document("$in", List.of("QUEUED", "RUNNING")))) > 0) {
            Thread.sleep(100);
        }
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
