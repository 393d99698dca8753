package dev.caravan.bench;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import dev.caravan.customer.ErasedIdentities;
import dev.caravan.customer.ProfileInput;
import dev.caravan.ingest.IngestPipeline;
import dev.caravan.ingest.IngestRecord;
import dev.caravan.order.OrderInput;
import dev.caravan.order.OrderLine;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * What the erasure tombstone check costs ingestion: the pipeline writing {@code -Dbench.orders} live orders (default
 * 40,000, batches of 500, 2 identity keys each) with no tombstones, then the same number of new orders with
 * {@code -Dbench.tombstones} (default 10,000) tombstones stored; and the check alone (keys of one batch hashed and
 * looked up) in both states. Run: {@code ./bench tombstone}.
 */
public final class TombstoneBench {

    public static void main(String[] args) throws Exception {
        int total = Integer.getInteger("bench.orders", 40_000);
        int tombstones = Integer.getInteger("bench.tombstones", 10_000);
        try (BenchServer server = BenchServer.start()) {
            IngestPipeline pipeline = server.bean(IngestPipeline.class);
            ErasedIdentities gate = server.bean(ErasedIdentities.class);
            MongoTemplate mongo = server.bean(MongoTemplate.class);
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

            checkAlone(gate, "no tombstones");
            run(pipeline, os, 0, total, "no tombstones");

            Random r = new Random(3);
            List<Document> docs = new ArrayList<>();
            byte[] b = new byte[32];
            for (int i = 0; i < tombstones; i++) {
                r.nextBytes(b);
                docs.add(new Document("_id", HexFormat.of().formatHex(b)).append("kind", "email")
                        .append("erasedAt", new Date()).append("reason", "bench"));
            }
            mongo.getCollection("erasure_tombstones").insertMany(docs);
            checkAlone(gate, String.format("%,d tombstones", tombstones));
            run(pipeline, os, total, total, String.format("%,d tombstones", tombstones));
        }
    }

    private static void checkAlone(ErasedIdentities gate, String label) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1000; i++) keys.add("email:bench" + i + "@example.com");
        for (int i = 0; i < 20; i++) gate.erased(keys); // warm-up
        long t0 = System.nanoTime();
        int rounds = 200;
        for (int i = 0; i < rounds; i++) gate.erased(keys);
        double usPerKey = (System.nanoTime() - t0) / 1e3 / rounds / keys.size();
        System.out.printf("check alone, %s: %.2f µs per identity key (1,000 keys per call)%n", label, usPerKey);
    }

    private static void run(IngestPipeline pipeline, com.sun.management.OperatingSystemMXBean os, int from, int count,
                            String label) {
        Random random = new Random(7 + from);
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        List<List<IngestRecord>> batches = new ArrayList<>();
        List<IngestRecord> batch = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            int buyer = random.nextInt(30_000);
            ProfileInput who = ProfileInput.builder().platform("ebay").buyerId("b" + buyer).email("b" + buyer + "@example.com")
                    .country("DE").source("bench").build();
            OrderInput order = new OrderInput("ebay", null, "O-" + i, null, null,
                    List.of(new OrderLine("SKU-1", "Item", "cat", 1, new BigDecimal("19.90"), null)),
                    "EUR", new BigDecimal("19.90"), "placed", start.plus(i, ChronoUnit.MINUTES), null, null, null, null,
                    "DE", "bench", false);
            batch.add(new IngestRecord(null, "order_placed", order.placedAt(), who, order, null, null, null, null));
            if (batch.size() == 500) {
                batches.add(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) batches.add(batch);
        long t0 = System.nanoTime();
        long cpu0 = os.getProcessCpuTime();
        for (List<IngestRecord> b : batches) pipeline.write(b, true, "bench", "bench");
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf("pipeline, %s: %,d orders in %.2f s = %,.0f orders/s; process CPU %.3f ms/order%n", label,
                count, seconds, count / seconds, cpu * 1000 / count);
    }
}
