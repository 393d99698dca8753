package dev.caravan.bench;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.caravan.customer.ProfileInput;
import dev.caravan.ingest.IngestPipeline;
import dev.caravan.ingest.IngestRecord;
import dev.caravan.order.OrderInput;
import dev.caravan.order.OrderLine;

/**
 * The ingest pipeline alone (no HTTP, no JSON): {@code -Dbench.orders} orders (default 100,000) of 30,000 buyers in
 * batches of {@code -Dbench.batch} (default 500), written live (metrics and purchase histories kept current). Prints
 * orders/s and process CPU per order. Run: {@code ./bench pipeline}.
 */
public final class PipelineBench {

    public static void main(String[] args) throws Exception {
        int total = Integer.getInteger("bench.orders", 100_000);
        int batchSize = Integer.getInteger("bench.batch", 500);
        Random random = new Random(7);
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        List<List<IngestRecord>> batches = new ArrayList<>();
        List<IngestRecord> batch = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            int buyer = random.nextInt(30_000);
            ProfileInput who = ProfileInput.builder().platform("ebay").buyerId("b" + buyer).email("b" + buyer + "@example.com")
                    .country("DE").source("bench").build();
            OrderInput order = new OrderInput("ebay", null, "O-" + i, null, null,
                    List.of(new OrderLine("SKU-" + random.nextInt(300), "Item", "cat" + random.nextInt(12), 1,
                            new BigDecimal("19.90"), null)),
                    "EUR", new BigDecimal("19.90"), "placed", start.plus(i, ChronoUnit.MINUTES), null, null, null, null,
                    "DE", "bench", false);
            batch.add(new IngestRecord(null, "order_placed", order.placedAt(), who, order, null, null, null, null));
            if (batch.size() == batchSize) {
                batches.add(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) batches.add(batch);
        try (BenchServer server = BenchServer.start()) {
            IngestPipeline pipeline = server.bean(IngestPipeline.class);
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long t0 = System.nanoTime();
            long cpu0 = os.getProcessCpuTime();
            int done = 0;
            for (List<IngestRecord> b : batches) {
                pipeline.write(b, true, "bench", "bench");
                done += b.size();
                if (done % 20_000 == 0) {
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("  %,d orders: %.1f s, %.0f orders/s, %.3f ms CPU/order%n", done, s, done / s,
                            (os.getProcessCpuTime() - cpu0) / 1e6 / done);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            System.out.printf("pipeline: %,d orders of 30,000 buyers in %.2f s = %,.0f orders/s; process CPU %.1f s = %.3f ms/order%n",
                    total, seconds, total / seconds, cpu, cpu * 1000 / total);
        }
    }
}
