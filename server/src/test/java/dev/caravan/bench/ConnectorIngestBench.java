package dev.caravan.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.caravan.CaravanApplication;
import dev.caravan.connector.ConnectionRequest;
import dev.caravan.connector.ConnectionService;
import dev.caravan.connector.EbayStubs;
import dev.caravan.connector.SyncService;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.MongoTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ingests N stubbed marketplace orders end to end and prints orders/s: WireMock serves eBay getOrders pages
 * (contract-shaped, generated per request, 200 orders a page, buyers repeating), the server pulls them through the
 * Camel routes, maps them and writes them through the ingest pipeline into the embedded in-memory store.
 *
 * <pre>
 * ./mvnw -B -q -pl server -am test-compile -DskipTests
 * ./mvnw -B -q -pl server dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
 * java -Xmx2g -cp server/target/test-classes:server/target/classes:$(cat server/target/bench.cp) \
 *      dev.caravan.bench.ConnectorIngestBench [orders=100000] [buyers=30000]
 * </pre>
 */
public final class ConnectorIngestBench {

    static final int PAGE = 200;
    static final Instant BASE = Instant.parse("2025-03-01T00:00:00Z");

    /** Serves page {@code offset / 200} of {@code total} orders, generated on request. */
    static final class OrderPages implements ResponseDefinitionTransformerV2 {
        final int total;
        final int buyers;
        /** 1 while the warm-up sync runs: other order ids, other buyers. */
        volatile int shift;

        OrderPages(int total, int buyers) {
            this.total = total;
            this.buyers = buyers;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            int offset = Integer.parseInt(event.getRequest().queryParameter("offset").firstValue());
            List<ObjectNode> orders = new ArrayList<>();
            for (int i = offset; i < Math.min(total, offset + PAGE); i++) {
                int b = i % buyers + shift * 1_000_000;
                Instant created = BASE.plusSeconds(60L * i);
                orders.add(EbayStubs.order(String.format("%d-%05d-%05d", 27 + shift, i / 100000, i % 100000), created,
                        created.plusSeconds(300), i % 3 == 0 ? "FULFILLED" : "NOT_STARTED", "PAID", "bench_buyer_" + b,
                        "buyer" + b + "@example.com", String.format("+49 30 9%07d", b), "DE", "19.99", 1 + i % 3,
                        "EUR"));
            }
            String next = offset + PAGE < total ? "/sell/fulfillment/v1/order?offset=" + (offset + PAGE) : null;
            return com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(EbayStubs.page("/sell/fulfillment/v1/order", orders, offset, PAGE, total, next)).build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return "order-pages";
        }
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int buyers = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
        boolean pipelineOnly = args.length > 2 && args[2].equals("pipeline");
        OrderPages pages = new OrderPages(total, buyers);
        WireMockServer wm = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(8).extensions(pages));
        wm.start();
        wm.stubFor(WireMock.post(WireMock.urlPathEqualTo("/identity/v1/oauth2/token"))
                .willReturn(WireMock.okJson(EbayStubs.token("bench-token", 7200))));
        wm.stubFor(WireMock.get(WireMock.urlPathEqualTo("/sell/fulfillment/v1/order"))
                .willReturn(WireMock.aResponse().withTransformers("order-pages")));
        Path data = Files.createTempDirectory("caravan-bench");
        ConfigurableApplicationContext app = new SpringApplication(CaravanApplication.class).run(
                "--server.port=0", "--caravan.data-dir=" + data, "--caravan.demo=false",
                "--caravan.store.embedded-backend=memory", "--caravan.connector.scheduler-enabled=false",
                "--caravan.admin-password=bench-password", "--logging.level.root=WARN");
        try {
            ConnectionService connections = app.getBean(ConnectionService.class);
            SyncService syncs = app.getBean(SyncService.class);
            java.util.function.Function<String, String> connect = seller -> connections.create(new ConnectionRequest(
                    "ebay", seller, true, Map.of("sellerId", seller, "pageSize", String.valueOf(PAGE)),
                    Map.of("clientId", "c", "clientSecret", "s", "refreshToken", "r"), wm.baseUrl(),
                    wm.baseUrl() + "/identity/v1/oauth2/token", null, Instant.parse("2025-01-01T00:00:00Z")),
                    "bench").getId();
            String id = connect.apply("bench_seller");
            if (pipelineOnly) {
                pipelineBaseline(app, total, buyers);
                return;
            }
            if (!Boolean.getBoolean("bench.cold")) {
                // the same number of orders of other buyers through another connection first: a running server has
                // compiled its hot code long before (as JMH's warm-up iterations would)
                pages.shift = 1;
                long w = System.nanoTime();
                SyncService.RunReport warm = syncs.syncNow(connect.apply("warm_up_seller"));
                System.out.printf("warm-up sync (not counted): %d orders in %.1f s%n", warm.orders(),
                        (System.nanoTime() - w) / 1e9);
                pages.shift = 0;
                BenchServer.awaitIdle();
            }
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            ThreadCpu threadCpu = new ThreadCpu();
            long cpu0 = os.getProcessCpuTime();
            long start = System.nanoTime();
            SyncService.RunReport report = syncs.syncNow(id);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            MongoTemplate mongo = app.getBean(MongoTemplate.class);
            long stored = mongo.getCollection("orders").countDocuments();
            long customers = mongo.getCollection("customers").countDocuments();
            System.out.printf("connector ingest: %d orders (%d orders and %d customers stored in all, %d skipped, %d requests, error=%s) "
                            + "in %.1f s = %.0f orders/s; storing (mapping + ingest pipeline) %.1f s = %.0f%% of the run; "
                            + "process CPU %.1f s (%.2f ms per order, the WireMock stub included)%n",
                    report.orders(), stored, customers, report.skipped(), report.requests(), report.error(), seconds,
                    report.orders() / seconds, report.storeMillis() / 1000.0, 100.0 * report.storeMillis() / 1000 / seconds,
                    cpu, 1000 * cpu / report.orders());
            threadCpu.print();
        } finally {
            app.close();
            wm.stop();
        }
    }

    /**
     * The ceiling: the same orders and buyers as ready-made ingest records (already normalised), written through
     * the ingest pipeline in batches of a page, without HTTP, JSON or mapping.
     */
    static void pipelineBaseline(ConfigurableApplicationContext app, int total, int buyers) {
        dev.caravan.ingest.IngestPipeline pipeline = app.getBean(dev.caravan.ingest.IngestPipeline.class);
        long start = System.nanoTime();
        for (int offset = 0; offset < total; offset += PAGE) {
            List<dev.caravan.ingest.IngestRecord> batch = new ArrayList<>();
            for (int i = offset; i < Math.min(total, offset + PAGE); i++) {
                int b = i % buyers;
                Instant created = BASE.plusSeconds(60L * i);
                dev.caravan.customer.ProfileInput p = dev.caravan.customer.ProfileInput.builder().platform("ebay")
                        .storeId("bench_seller").buyerId("bench_buyer_" + b).email("buyer" + b + "@example.com")
                        .phone(String.format("+49309%07d", b)).displayName("Buyer " + b).country("DE")
                        .source("bench").at(created).build();
                int qty = 1 + i % 3;
                dev.caravan.order.OrderInput o = new dev.caravan.order.OrderInput("ebay", "bench_seller",
                        String.format("27-%05d-%05d", i / 100000, i % 100000), null, null,
                        List.of(new dev.caravan.order.OrderLine("EB-" + i, "item", null, qty,
                                new java.math.BigDecimal("19.99"), null)), "EUR",
                        new java.math.BigDecimal("19.99").multiply(java.math.BigDecimal.valueOf(qty)),
                        i % 3 == 0 ? "shipped" : "paid", created, null, null, null, null, "DE", "bench", false);
                batch.add(new dev.caravan.ingest.IngestRecord(null, "order_placed", created, p, o, null, null, null,
                        null));
            }
            pipeline.write(batch, false, "bench", "bench");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("pipeline only: %d orders in %.1f s = %.0f orders/s%n", total, seconds, total / seconds);
    }

    private ConnectorIngestBench() {
    }
}
