package dev.caravan.messaging;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.caravan.test.CaravanTest;
import dev.caravan.test.SettableClock;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The whole server with its channels pointed at real test servers in this JVM: GreenMail (SMTP + IMAP bounce
 * mailbox) and a WireMock stub for the WhatsApp, Amazon and eBay APIs. Every messaging test class extends this one,
 * so they share one Spring context. The clock ticks with real time and can be moved.
 */
@CaravanTest
@Import(MessagingTestBase.Config.class)
public abstract class MessagingTestBase {

    static final GreenMail MAIL = new GreenMail(new ServerSetup[]{
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
    static final WireMockServer STUB = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    static final String APP_SECRET = "test-app-secret";
    /** Noon UTC on a Monday: outside quiet hours for customers in UTC and Europe. */
    static final Instant NOON = Instant.parse("2026-11-23T12:00:00Z");

    static {
        MAIL.start();
        MAIL.setUser("bounces@shop.test", "bounces", "secret");
        STUB.start();
    }

    @DynamicPropertySource
    static void channels(DynamicPropertyRegistry r) {
        String stub = "http://127.0.0.1:" + STUB.port();
        r.add("caravan.mail.host", () -> "127.0.0.1");
        r.add("caravan.mail.port", () -> MAIL.getSmtp().getPort());
        r.add("caravan.mail.from", () -> "Test Shop <news@shop.test>");
        r.add("caravan.mail.bounce.enabled", () -> "true");
        r.add("caravan.mail.bounce.port", () -> MAIL.getImap().getPort());
        r.add("caravan.mail.bounce.username", () -> "bounces");
        r.add("caravan.mail.bounce.password", () -> "secret");
        r.add("caravan.mail.bounce.poll-interval", () -> "200ms");
        r.add("caravan.whatsapp.phone-number-id", () -> "123456");
        r.add("caravan.whatsapp.token", () -> "wa-token");
        r.add("caravan.whatsapp.base-uri", () -> stub);
        r.add("caravan.whatsapp.app-secret", () -> APP_SECRET);
        r.add("caravan.whatsapp.verify-token", () -> "verify-me");
        r.add("caravan.messaging.amazon.base-uri", () -> stub);
        r.add("caravan.messaging.amazon.access-token", () -> "amz-token");
        r.add("caravan.messaging.amazon.default-marketplace-id", () -> "A1PA6795UKMFR9");
        r.add("caravan.messaging.ebay.base-uri", () -> stub);
        r.add("caravan.messaging.ebay.access-token", () -> "ebay-token");
        r.add("caravan.messaging.retry.initial-backoff", () -> "100ms");
        r.add("caravan.messaging.retry.max-backoff", () -> "1s");
        r.add("caravan.messaging.retry.max-attempts", () -> "3");
        r.add("caravan.messaging.sweep-interval", () -> "100ms");
        r.add("caravan.messaging.public-base-url", () -> "https://shop.test");
        r.add("caravan.messaging.shop.name", () -> "Test Shop");
        r.add("caravan.messaging.holidays[0]", () -> "CN:2026-12-25");
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Config {
        @Bean
        @org.springframework.context.annotation.Primary
        SettableClock mutableClock() {
            return new SettableClock();
        }

        @Bean
        StatusEvents statusEvents() {
            return new StatusEvents();
        }
    }

    /** Collects the domain events messaging publishes. */
    public static class StatusEvents {
        final List<MessageStatusChanged> changes = new CopyOnWriteArrayList<>();
        final List<MessageConversion> conversions = new CopyOnWriteArrayList<>();

        @EventListener
        void on(MessageStatusChanged e) {
            changes.add(e);
        }

        @EventListener
        void on(MessageConversion e) {
            conversions.add(e);
        }
    }

    @Autowired
    protected TestApi api;
    @Autowired
    protected TestStore store;
    @Autowired
    protected SettableClock clock;
    @Autowired
    protected StatusEvents events;

    @BeforeEach
    void resetWorld() throws Exception {
        store.clear();
        MAIL.purgeEmailFromAllMailboxes();
        STUB.resetAll();
        clock.setTo(NOON);
        events.changes.clear();
        events.conversions.clear();
    }

    /** Inserts a customer document directly (the customer feature's own tests cover ingestion). */
    protected void customer(String id, String email, String phone, String timezone, String language,
                            Map<String, Boolean> marketingConsents) {
        Document c = new Document("_id", id).append("displayName", "Ann Lee").append("firstName", "Ann")
                .append("lastName", "Lee").append("createdAt", java.util.Date.from(clock.instant()))
                .append("metrics", new Document("orderCount", 0L).append("returnCount", 0L)
                        .append("totalSpend", new org.bson.types.Decimal128(java.math.BigDecimal.ZERO))
                        .append("refundTotal", new org.bson.types.Decimal128(java.math.BigDecimal.ZERO)));
        if (email != null) c.append("emails", List.of(email));
        if (phone != null) c.append("phones", List.of(phone));
        if (timezone != null) c.append("timezone", timezone);
        if (language != null) c.append("language", language);
        Document consents = new Document();
        marketingConsents.forEach((ch, granted) -> consents.append(ch, new Document("granted", granted)
                .append("source", "test").append("updatedAt", java.util.Date.from(clock.instant()))));
        c.append("consents", consents);
        store.mongo().getCollection("customers").insertOne(c);
    }

    protected void identity(String customerId, String platform, String buyerId) {
        store.mongo().getCollection("customers").updateOne(new Document("_id", customerId),
                new Document("$push", new Document("identities", new Document("platform", platform)
                        .append("buyerId", buyerId))));
    }

    /** Gives the customer an order, the basis for transactional messages. */
    protected void hasOrdered(String customerId) {
        store.mongo().getCollection("purchase_histories").insertOne(new Document("_id", customerId)
                .append("purchases", List.of(new Document("orderKey", "shop//o-" + customerId)
                        .append("placedAt", java.util.Date.from(clock.instant().minus(Duration.ofDays(3))))
                        .append("totalBase", new org.bson.types.Decimal128(new java.math.BigDecimal("25.00")))
                        .append("platform", "shop").append("status", "PLACED").append("couponUsed", false)
                        .append("categories", List.of()))));
    }

    protected JsonNode send(Map<String, Object> body) {
        return api.admin().post().uri("/api/v1/messages").body(body).retrieve().body(JsonNode.class);
    }

    protected static Map<String, Object> request(String customerId, String channel, String template, String purpose,
                                                 String key, Map<String, Object> params) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("customerId", customerId);
        m.put("channel", channel);
        m.put("template", template);
        if (purpose != null) m.put("purpose", purpose);
        if (key != null) m.put("idempotencyKey", key);
        m.put("params", params == null ? Map.of() : params);
        return m;
    }

    protected JsonNode message(String id) {
        return api.admin().get().uri("/api/v1/messages/{id}", id).retrieve().body(JsonNode.class);
    }

    protected JsonNode awaitStatus(String id, String... statuses) {
        List<String> wanted = List.of(statuses);
        return api.awaitJson(api.admin(), "/api/v1/messages/" + id,
                m -> wanted.contains(m.path("status").asString()), Duration.ofSeconds(15));
    }

    protected static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    protected List<String> statusesOf(String messageId) {
        List<String> out = new ArrayList<>();
        events.changes.stream().filter(e -> e.messageId().equals(messageId)).forEach(e -> out.add(e.status()));
        return out;
    }
}
