package dev.caravan.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Event ingestion over HTTP: {@code -Dbench.events} events (default 200,000) for 20,000 customers — product views,
 * cart adds, orders and inquiries — in batches of 500 from {@code -Dbench.clients} concurrent clients, then the same
 * events again (all duplicates). Before them, unless {@code -Dbench.cold=true}, as many events of 20,000 other customers
 * warm the JVM up (as JMH's warm-up iterations would; a running server has compiled its hot code long before).
 * Between passes the server finishes its background work. Prints events/s and CPU per thread group.
 * Run: {@code ./bench events}.
 */
public final class EventsBench {

    public static void main(String[] args) throws Exception {
        int total = Integer.getInteger("bench.events", 200_000);
        int clients = Integer.getInteger("bench.clients", 2);
        int batch = 500;
        try (BenchServer server = BenchServer.start()) {
            HttpClient http = HttpClient.newHttpClient();
            // Machines send events with an API key (a SHA-256 check), not HTTP Basic (a deliberately slow BCrypt check).
            String key = server.bean(dev.caravan.security.ApiKeyService.class)
                    .issue("bench", java.util.Set.of(dev.caravan.security.Role.INGEST), "bench").value();
            URI uri = URI.create("http://127.0.0.1:" + server.port + "/api/v1/events");
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            List<String> measured = bodies(total, batch, "ev", 0);
            java.util.Map<String, List<String>> passes = new java.util.LinkedHashMap<>();
            if (!Boolean.getBoolean("bench.cold")) {
                passes.put("warm-up (new events of other customers, not counted)", bodies(total, batch, "warm", 1_000_000));
            }
            passes.put("new events", measured);
            passes.put("replayed (all duplicates)", measured);
            for (var pass : passes.entrySet()) {
                List<String> bodies = pass.getValue();
                long t0 = System.nanoTime();
                long cpu0 = os.getProcessCpuTime();
                ThreadCpu threadCpu = new ThreadCpu();
                ExecutorService pool = Executors.newFixedThreadPool(clients);
                List<Future<?>> futures = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int offset = c;
                    futures.add(pool.submit(() -> {
                        for (int b = offset; b < bodies.size(); b += clients) {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("X-Api-Key", key)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(bodies.get(b))).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200) throw new IllegalStateException(r.statusCode() + " " + r.body());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) f.get();
                pool.shutdown();
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%s: %,d events in %.2f s = %,.0f events/s (batches of %d, %d clients; process CPU %.1f s)%n",
                        pass.getKey(), total, seconds, total / seconds, batch, clients, (os.getProcessCpuTime() - cpu0) / 1e9);
                threadCpu.print();
                BenchServer.awaitIdle();
            }
        }
    }

    /** {@code total} events of 20,000 customers numbered from {@code customerOffset}, ids starting with the prefix. */
    private static List<String> bodies(int total, int batch, String idPrefix, int customerOffset) {
        List<String> bodies = new ArrayList<>();
        Random random = new Random(42);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < total; i++) {
            int customer = customerOffset + random.nextInt(20_000);
            Instant at = start.plus(i, ChronoUnit.SECONDS);
            String who = "{\"email\":\"c" + customer + "@example.com\",\"platform\":\"shop\",\"buyerId\":\"b" + customer + "\"}";
            int kind = random.nextInt(10);
            String type;
            String props;
            if (kind < 5) {
                type = "product_viewed";
                props = "{\"sku\":\"SKU-" + random.nextInt(500) + "\",\"price\":12.5}";
            } else if (kind < 7) {
                type = "added_to_cart";
                props = "{\"sku\":\"SKU-" + random.nextInt(500) + "\",\"quantity\":1}";
            } else if (kind < 9) {
                type = "order_placed";
                props = "{\"orderId\":\"" + idPrefix + "-O-" + i + "\",\"total\":\"" + (10 + random.nextInt(90)) + ".90\",\"currency\":\"USD\","
                        + "\"lines\":[{\"sku\":\"SKU-" + random.nextInt(500) + "\",\"quantity\":1,\"unitPrice\":\"19.90\"}]}";
            } else {
                type = "inquiry";
                props = "{\"text\":\"Where is my parcel?\"}";
            }
            if (sb.length() > 1) sb.append(',');
            sb.append("{\"eventId\":\"").append(idPrefix).append("-").append(i).append("\",\"type\":\"").append(type).append("\",\"occurredAt\":\"")
                    .append(at).append("\",\"customer\":").append(who).append(",\"properties\":").append(props).append('}');
            if ((i + 1) % batch == 0 || i == total - 1) {
                bodies.add(sb.append(']').toString());
                sb = new StringBuilder("[");
            }
        }
        return bodies;
    }
}
