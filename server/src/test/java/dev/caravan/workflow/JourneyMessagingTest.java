package dev.caravan.workflow;

import static dev.caravan.test.Events.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.caravan.rules.ClassificationsChanged;
import dev.caravan.rules.TierChanged;
import dev.caravan.test.CaravanTest;
import dev.caravan.test.Events;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import jakarta.mail.internet.MimeMessage;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The shipped journeys through the real messaging pipeline — no recording double: events in over HTTP, the jBPM
 * engine on the settable clock, {@link MessagingJourneyMessenger}, the outbox, Camel and a real SMTP server
 * (GreenMail). Like {@link JourneyTest}: journey clock settable, journey poller and the rules' background
 * evaluation off (due work is fired with {@link JourneyRuntime#runDue()}); messaging's own outbox runs as in production.
 */
@CaravanTest
@Import(JourneyMessagingTest.Config.class)
@TestPropertySource(properties = {"caravan.workflows.enabled=false", "caravan.rules.incremental=false"})
class JourneyMessagingTest {

    static final GreenMail MAIL = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    static {
        MAIL.start();
    }

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry r) {
        r.add("caravan.mail.host", () -> "127.0.0.1");
        r.add("caravan.mail.port", () -> MAIL.getSmtp().getPort());
        r.add("caravan.mail.from", () -> "Test Shop <news@shop.test>");
        r.add("caravan.messaging.sweep-interval", () -> "100ms");
        r.add("caravan.messaging.public-base-url", () -> "https://shop.test");
        r.add("caravan.messaging.shop.name", () -> "Test Shop");
        r.add("caravan.messaging.shop.url", () -> "https://shop.test");
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Config {
        @Bean
        @Primary
        MutableClock journeyClock() {
            return new MutableClock(JourneyTest.START);
        }
    }

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;
    @Autowired
    MutableClock clock;
    @Autowired
    JourneyRuntime runtime;
    @Autowired
    JourneyService journeys;
    @Autowired
    JourneyMessenger messenger;
    @Autowired
    ApplicationEventPublisher events;

    @BeforeEach
    void reset() throws Exception {
        runtime.runDue();
        store.clear();
        MAIL.purgeEmailFromAllMailboxes();
        clock.set(JourneyTest.START); // Monday 09:00 UTC = 10:00 in Berlin
        journeys.deployPackaged();
    }

    @Test
    void theRealMessengerIsWired() {
        assertThat(messenger).isInstanceOf(MessagingJourneyMessenger.class);
    }

    @Test
    void aLiveCartEventEndsAsAReminderEmailAndADayLaterACouponEmail() throws Exception {
        Map<String, Object> anna = Events.customer("email", "anna@example.de", "name", "Anna Schmidt", "country", "DE",
                "timezone", "Europe/Berlin", "language", "en", "consents", map("email", true));
        post(Events.event("cart-1", "added_to_cart", clock.instant().toString(), anna,
                map("sku", "LAMP-1", "title", "Desk lamp", "quantity", 1, "cartUrl", "https://shop.test/cart/anna")));
        String id = customerId("anna@example.de");
        Document instance = instance(id, "abandoned-cart");
        assertThat(instance.getString("status")).isEqualTo("ACTIVE");

        travel(Duration.ofMinutes(59));
        assertThat(messages(id)).isEmpty();
        travel(Duration.ofMinutes(2));

        // one hour later: the reminder reaches the SMTP server
        assertThat(MAIL.waitForIncomingEmail(15_000, 1)).isTrue();
        MimeMessage reminder = MAIL.getReceivedMessages()[0];
        assertThat(reminder.getAllRecipients()[0].toString()).isEqualTo("Anna Schmidt <anna@example.de>");
        assertThat(reminder.getSubject()).isEqualTo("You left something in your cart");
        String body = plainText(reminder);
        assertThat(body).contains("Hi Anna,", "Your cart is waiting for you:", "- Desk lamp",
                "Back to your cart: https://shop.test/cart/anna").doesNotContain("{{", "save");
        assertThat(reminder.getHeader("List-Unsubscribe")[0]).startsWith("<https://shop.test/u/");
        JsonNode sent = awaitStatus(messages(id).get(0).path("id").asString(), "sent");
        assertThat(sent.path("template").asString()).isEqualTo("abandoned_cart");
        assertThat(sent.path("journeyId").asString()).isEqualTo("abandoned-cart");
        assertThat(sent.path("journeyInstanceId").asString()).isEqualTo(instance.getString("_id"));
        assertThat(sent.path("stepId").asString()).isEqualTo("send_reminder");
        assertThat(sent.path("purpose").asString()).isEqualTo("marketing");

        // a day after the reminder (just past the frequency cap's 24 hours): the coupon
        travel(Duration.ofHours(24).plusMinutes(10));
        assertThat(MAIL.waitForIncomingEmail(15_000, 2)).isTrue();
        MimeMessage coupon = MAIL.getReceivedMessages()[1];
        assertThat(coupon.getSubject()).isEqualTo("Your cart is still waiting, with a little extra");
        String couponBody = plainText(coupon);
        String code = (String) couponStep(id).get("couponCode");
        assertThat(code).isNotBlank();
        // 10 % valid 3 days from Tuesday morning: Friday 6 March 2026, written in the template's language
        assertThat(couponBody).contains("Finish your order with the code " + code
                + " and save 10%. It is valid until March 6, 2026.");
        assertThat(instance(id, "abandoned-cart").getString("status")).isEqualTo("COMPLETED");
        // the journey trace shows both sends with messaging's ids
        JsonNode trace = api.admin().get().uri("/api/v1/customers/" + id + "/journeys/trace?journey=abandoned-cart")
                .retrieve().body(JsonNode.class);
        assertThat(trace.get("decisions")).hasSize(2).allMatch(d -> d.get("sent").asBoolean()
                && d.get("messageId").asString().startsWith("m"));

        // analytics' journey report reads messaging's sends: two e-mails of the cart journey, one per step
        JsonNode report = api.admin().get().uri("/api/v1/analytics/journeys?from=2026-03-01T00:00:00Z&to=2026-03-10T00:00:00Z&groupBy=journey,step")
                .retrieve().body(JsonNode.class);
        assertThat(report.get("available").asBoolean()).as("%s", report).isTrue();
        assertThat(report.get("lines").valueStream().filter(l -> l.get("journey").asString().equals("abandoned-cart"))
                .map(l -> l.get("step").asString() + "=" + l.get("sent").asLong()).toList())
                .containsExactlyInAnyOrder("send_reminder=1", "send_coupon=1");
    }

    @Test
    void aTierChangeToCoreQueuesTheVipThankYouWithTheJourneyReference() throws Exception {
        Map<String, Object> li = Events.customer("email", "li@example.cn", "name", "Li Wei", "country", "CN",
                "timezone", "Asia/Shanghai", "language", "zh-CN", "consents", map("email", true));
        post(Events.event("view-1", "page_viewed", clock.instant().toString(), li, map("url", "/")));
        String id = customerId("li@example.cn");
        store.mongo().getCollection("customers").updateOne(new Document("_id", id),
                new Document("$set", new Document("tier", "core")));

        // the rules feature's event, as the rules engine publishes it after writing the new tier
        events.publishEvent(new ClassificationsChanged(List.of(new TierChanged(id, "growth", "core",
                "caravan/tiers.drl", "Core tier", 1, clock.instant(), true)), true));
        runtime.runDue();
        Document instance = instance(id, "vip-upgrade");
        // 17:00 in Shanghai: the thank-you waits for 10:00 local the next morning
        travel(Duration.ofHours(18));

        List<JsonNode> vip = messages(id);
        assertThat(vip).hasSize(1);
        JsonNode m = vip.get(0);
        assertThat(m.path("template").asString()).isEqualTo("vip_upgrade");
        assertThat(m.path("channel").asString()).isEqualTo("email");
        assertThat(m.path("status").asString()).isIn("queued", "sending", "sent");
        assertThat(m.path("journeyId").asString()).isEqualTo("vip-upgrade");
        assertThat(m.path("journeyInstanceId").asString()).isEqualTo(instance.getString("_id"));
        assertThat(m.path("stepId").asString()).isEqualTo("send_thanks");
        assertThat(m.path("params").path("tier").asString()).isEqualTo("VIP");

        assertThat(MAIL.waitForIncomingEmail(15_000, 1)).isTrue();
        MimeMessage mail = MAIL.getReceivedMessages()[0];
        assertThat(mail.getSubject()).isEqualTo("您已升级为 Test Shop VIP会员");
        assertThat(plainText(mail)).contains("Li，", "感谢您一直以来的支持：您现在是VIP会员。").doesNotContain("{{");
        assertThat(instance(id, "vip-upgrade").getString("outcome")).isEqualTo("thanked");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void post(Map<String, Object> event) {
        JsonNode r = api.admin().post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON)
                .body(List.of(event)).retrieve().body(JsonNode.class);
        assertThat(r.path("accepted").asInt()).as("events accepted: %s", r).isEqualTo(1);
        runtime.runDue();
    }

    /** Moves the journey clock forward a minute at a time, firing what comes due. */
    private void travel(Duration total) {
        java.time.Instant end = clock.instant().plus(total);
        while (clock.instant().isBefore(end)) {
            java.time.Instant next = clock.instant().plus(Duration.ofMinutes(15));
            clock.set(next.isAfter(end) ? end : next);
            runtime.runDue();
        }
    }

    private String customerId(String email) {
        Document k = store.mongo().getCollection("identity_keys").find(new Document("_id", store.emailKey(email))).first();
        assertThat(k).as("customer %s", email).isNotNull();
        return k.getString("customerId");
    }

    private Document instance(String customerId, String journeyId) {
        Document d = store.mongo().getCollection(InstanceStore.COLLECTION)
                .find(new Document("customerId", customerId).append("journeyId", journeyId)).first();
        assertThat(d).as("%s in %s", customerId, journeyId).isNotNull();
        return d;
    }

    /** What the cart journey's IssueCoupon step recorded (couponCode, value, expiresAt). */
    private Map<String, Object> couponStep(String customerId) {
        return instance(customerId, "abandoned-cart").getList("steps", Document.class).stream()
                .filter(s -> "issue_coupon".equals(s.getString("nodeId"))).findFirst()
                .map(s -> (Map<String, Object>) s.get("detail", Document.class)).orElseThrow();
    }

    /** The decoded text/plain part of an e-mail. */
    private static String plainText(jakarta.mail.Part part) throws Exception {
        if (part.isMimeType("text/plain")) return (String) part.getContent();
        if (part.getContent() instanceof jakarta.mail.Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                String text = plainText(mp.getBodyPart(i));
                if (text != null) return text;
            }
        }
        return null;
    }

    private List<JsonNode> messages(String customerId) {
        JsonNode page = api.admin().get().uri("/api/v1/messages?customerId=" + customerId).retrieve().body(JsonNode.class);
        List<JsonNode> out = new java.util.ArrayList<>();
        page.path("content").forEach(out::add);
        return out;
    }

    private JsonNode awaitStatus(String messageId, String status) {
        return api.awaitJson(api.admin(), "/api/v1/messages/" + messageId, m -> status.equals(m.path("status").asString()),
                Duration.ofSeconds(15));
    }
}
