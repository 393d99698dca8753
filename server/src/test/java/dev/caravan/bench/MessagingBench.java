package dev.caravan.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.caravan.CaravanApplication;
import dev.caravan.messaging.Channel;
import dev.caravan.messaging.MessageService;
import dev.caravan.messaging.SendRequest;
import org.bson.Document;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * Messaging throughput with every check on (marketing consent, channel policy, global frequency cap, quiet hours in
 * the customer's zone, per-channel rate limit): N marketing e-mails to a local GreenMail, then N WhatsApp template
 * messages to a WireMock stub of the Cloud API, requested as a campaign round does ({@code batch=500}: 500 requests
 * per {@link MessageService#sendAll}) or one by one ({@code batch=1}, 8 threads); {@code via=campaign} instead sends
 * the e-mails as a campaign (a segment and a campaign created and launched over the HTTP API). Prints messages/s from the first request to the last "sent". Unless
 * {@code -Dbench.cold=true}, N e-mails to other customers warm the JVM up first.
 * <pre>
 * ./mvnw -q -pl server -am test-compile
 * java -cp "$(cat server/target/bench.cp):server/target/classes:server/target/test-classes:integrations/target/classes:integrations/target/test-classes" \
 *      dev.caravan.bench.MessagingBench [emails=10000] [whatsapp=5000] [backend=memory|h2] [consumers=32] [batch=500] [via=api|campaign]
 * </pre>
 */
public final class MessagingBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("emails", "10000", "whatsapp", "5000", "backend", "memory",
                "consumers", "32", "batch", "500",
                "via", "api"));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            a.put(kv[0], kv[1]);
        }
        int emails = Integer.parseInt(a.get("emails"));
        int whatsapps = Integer.parseInt(a.get("whatsapp"));
        int batch = Integer.parseInt(a.get("batch"));
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        // One catch-all mailbox: GreenMail otherwise creates a user and mailbox per recipient and finds them by
        // scanning a list, a cost that grows with every new address (a third of the CPU at 10,000 recipients) and
        // that no real SMTP relay has. Every message is still received, parsed and stored.
        com.icegreen.greenmail.user.GreenMailUser sink = mail.setUser("sink@bench.test", "sink");
        mail.getUserManager().setMessageDeliveryHandler((message, address) -> sink);
        WireMockServer stub = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(32).disableRequestJournal());
        stub.start();
        stub.stubFor(post(urlPathEqualTo("/v23.0/123456/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.B\"}]}")));
        String[] props = {
                "--server.port=0", "--caravan.data-dir=" + Files.createTempDirectory("caravan-bench-"),
                "--caravan.store.embedded-backend=" + a.get("backend"), "--caravan.demo=false",
                "--caravan.admin-password=bench", "--caravan.mail.host=127.0.0.1",
                "--caravan.mail.port=" + mail.getSmtp().getPort(), "--caravan.mail.from=Shop <news@shop.test>",
                "--caravan.messaging.consumers=" + a.get("consumers"),
                "--caravan.messaging.rate-per-second.email=5000", "--caravan.messaging.rate-per-second.whatsapp=5000",
                "--caravan.whatsapp.phone-number-id=123456", "--caravan.whatsapp.token=t",
                "--caravan.whatsapp.base-uri=http://127.0.0.1:" + stub.port(),
                "--spring.main.banner-mode=off", "--logging.level.root=WARN"};
        SpringApplicationBuilder builder = new SpringApplicationBuilder(CaravanApplication.class);
        if (Boolean.getBoolean("bench.commands")) builder.initializers(CommandProfile::register);
        try (ConfigurableApplicationContext app = builder.run(props)) {
            MongoTemplate mongo = app.getBean(MongoTemplate.class);
            MessageService messages = app.getBean(MessageService.class);
            // customers in a time zone where it is mid-afternoon now, so quiet hours let marketing through
            String zone = zoneAt(15);
            boolean warmUp = !Boolean.getBoolean("bench.cold");
            if (warmUp) insertCustomers(mongo, "x", emails, zone);
            insertCustomers(mongo, "e", emails, zone);
            insertCustomers(mongo, "w", whatsapps, zone);
            System.out.printf("%d e-mails, %d WhatsApp messages, backend %s, %s consumers, %s, customers in %s%n",
                    emails, whatsapps, a.get("backend"), a.get("consumers"), batch > 1 ? "requests in batches of "
                            + batch + " (a campaign round)" : "one request at a time from 8 threads", zone);

            // count "sent" events instead of polling the store (a count is a collection scan on the embedded store)
            java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
            app.addApplicationListener((org.springframework.context.ApplicationListener<
                    org.springframework.context.PayloadApplicationEvent<dev.caravan.messaging.MessageStatusChanged>>) e -> {
                if ("sent".equals(e.getPayload().status())) sent.incrementAndGet();
            });
            java.util.concurrent.atomic.AtomicLong firstSent = new java.util.concurrent.atomic.AtomicLong();
            app.addApplicationListener((org.springframework.context.ApplicationListener<
                    org.springframework.context.PayloadApplicationEvent<dev.caravan.messaging.MessageStatusChanged>>) e -> {
                if ("sent".equals(e.getPayload().status())) firstSent.compareAndSet(0, System.nanoTime());
            });
            if ("campaign".equals(a.get("via"))) {
                // the product's own path: a segment, a campaign to it, launched over the HTTP API; the dispatcher's
                // rounds hand the sends to messaging
                String key = app.getBean(dev.caravan.security.ApiKeyService.class)
                        .issue("bench", java.util.Set.of(dev.caravan.security.Role.MARKETER), "bench").value();
                String base = "http://127.0.0.1:" + app.getEnvironment().getRequiredProperty("local.server.port");
                if (warmUp) {
                    campaign("warm-up campaign (not counted)", base, key, "x", emails, sent, firstSent);
                    sent.set(0);
                }
                campaign("e-mail campaign (GreenMail)", base, key, "e", emails, sent, firstSent);
                System.out.printf("SMTP server received %d%n", mail.getReceivedMessages().length);
                return;
            }
            if (warmUp) {
                // as many e-mails to other customers first: a running server has compiled its hot code long before
                run("warm-up e-mails (not counted)", mongo, messages, "x", emails, batch, Channel.EMAIL, () -> -1, sent);
                sent.set(0);
            }
            run("e-mail (GreenMail)", mongo, messages, "e", emails, batch, Channel.EMAIL,
                    () -> mail.getReceivedMessages().length - (warmUp ? emails : 0), sent);
            sent.set(0);
            run("WhatsApp (WireMock stub)", mongo, messages, "w", whatsapps, batch, Channel.WHATSAPP, () -> -1, sent);
        } finally {
            stub.stop();
            mail.stop();
        }
    }

    private static void run(String name, MongoTemplate mongo, MessageService messages, String prefix, int n,
                            int batch, Channel channel, java.util.function.IntSupplier delivered,
                            java.util.concurrent.atomic.AtomicInteger sentCount) throws InterruptedException {
        if (n == 0) return;
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        ThreadCpu threadCpu = new ThreadCpu();
        Instant start = Instant.now();
        // batch > 1: a campaign round, sendAll() of batch requests at a time (one customers read, one histories read,
        // one insert per batch); batch = 1: one send() per request from 8 threads (API calls, journeys)
        int threads = batch > 1 ? 1 : 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                for (int from = next.getAndAdd(batch); from < n; from = next.getAndAdd(batch)) {
                    List<SendRequest> requests = new ArrayList<>();
                    for (int i = from; i < Math.min(n, from + batch); i++) {
                        requests.add(SendRequest.builder().customerId(prefix + i).channel(channel)
                                .template("win_back").param("coupon", Map.of("code", "WB-" + i))
                                .idempotencyKey(prefix + ":" + i).build());
                    }
                    for (MessageService.Outcome r : messages.sendAll(requests, "bench")) {
                        if (r.error() != null) throw r.error();
                        if (!r.result().status().equals("queued")) throw new IllegalStateException("not queued: " + r);
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS);
        Instant queued = Instant.now();
        while (sentCount.get() < n) {
            Thread.sleep(20);
        }
        Instant done = Instant.now();
        double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
        double seconds = Duration.between(start, done).toMillis() / 1000.0;
        System.out.printf("%s: %d sent in %.1f s = %.0f messages/s (queueing took %.1f s%s); process CPU %.1f s = "
                        + "%.0f messages per CPU-second; load average %.1f%n", name, n, seconds, n / seconds,
                Duration.between(start, queued).toMillis() / 1000.0,
                delivered.getAsInt() >= 0 ? ", SMTP server received " + delivered.getAsInt() : "", cpu, n / cpu,
                os.getSystemLoadAverage());
        threadCpu.print();
    }

    /** A segment of the prefix's customers, a campaign to it launched over the API; prints launch-to-last-sent. */
    private static void campaign(String name, String base, String key, String prefix, int n,
                                 java.util.concurrent.atomic.AtomicInteger sentCount,
                                 java.util.concurrent.atomic.AtomicLong firstSent) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String segment = postJson(http, base + "/api/v1/segments", key, "{\"name\": \"bench " + prefix
                + "\", \"condition\": {\"field\": \"tags\", \"op\": \"contains\", \"value\": \"bench-" + prefix + "\"}}");
        String campaign = postJson(http, base + "/api/v1/campaigns", key, "{\"name\": \"bench " + prefix
                + "\", \"segmentId\": \"" + id(segment) + "\", \"channels\": [\"email\"], \"templates\": "
                + "{\"default\": \"win_back\"}, \"schedule\": {\"type\": \"now\"}}");
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        ThreadCpu threadCpu = new ThreadCpu();
        firstSent.set(0);
        long start = System.nanoTime();
        postJson(http, base + "/api/v1/campaigns/" + id(campaign) + "/launch", key, "");
        while (sentCount.get() < n) {
            Thread.sleep(20);
        }
        long done = System.nanoTime();
        double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
        double total = (done - start) / 1e9;
        double sending = (done - firstSent.get()) / 1e9;
        System.out.printf("%s: %d sent %.1f s after the launch (first sent after %.1f s: audience snapshot and the "
                        + "dispatcher's next tick); from the first to the last sent %.1f s = %.0f messages/s; process "
                        + "CPU %.1f s = %.1f ms per message%n", name, n, total, total - sending, sending,
                (n - 1) / sending, cpu, 1000 * cpu / n);
        threadCpu.print();
    }

    private static String postJson(java.net.http.HttpClient http, String uri, String key, String json) throws Exception {
        var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(uri)).header("X-Api-Key", key)
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) throw new IllegalStateException(uri + ": " + r.statusCode() + " " + r.body());
        return r.body();
    }

    private static String id(String json) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) throw new IllegalStateException("no id in " + json);
        return m.group(1);
    }

    private static void insertCustomers(MongoTemplate mongo, String prefix, int n, String zone) {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            docs.add(new Document("_id", prefix + i).append("firstName", "Ann").append("timezone", zone)
                    .append("emails", List.of(prefix + i + "@example.com")).append("phones", List.of("+49151" + (10_000_000 + i)))
                    .append("consents", new Document("email", consent()).append("whatsapp", consent()))
                    .append("tags", List.of("bench-" + prefix))
                    .append("createdAt", new Date()));
            if (docs.size() == 1000) {
                mongo.getCollection("customers").insertMany(docs);
                docs.clear();
            }
        }
        if (!docs.isEmpty()) mongo.getCollection("customers").insertMany(docs);
    }

    private static Document consent() {
        return new Document("granted", true).append("source", "bench").append("updatedAt", new Date());
    }

    /** A time zone where the local hour is now {@code hour}, so the run is outside quiet hours. */
    private static String zoneAt(int hour) {
        for (String id : List.of("Etc/GMT+12", "Etc/GMT+11", "Etc/GMT+10", "Etc/GMT+9", "Etc/GMT+8", "Etc/GMT+7",
                "Etc/GMT+6", "Etc/GMT+5", "Etc/GMT+4", "Etc/GMT+3", "Etc/GMT+2", "Etc/GMT+1", "Etc/GMT", "Etc/GMT-1",
                "Etc/GMT-2", "Etc/GMT-3", "Etc/GMT-4", "Etc/GMT-5", "Etc/GMT-6", "Etc/GMT-7", "Etc/GMT-8", "Etc/GMT-9",
                "Etc/GMT-10", "Etc/GMT-11", "Etc/GMT-12", "Etc/GMT-13", "Etc/GMT-14")) {
            if (Instant.now().atZone(ZoneId.of(id)).getHour() == hour) return id;
        }
        return "UTC";
    }
}
