package dev.caravan.campaign;

import static dev.caravan.test.Events.customer;
import static dev.caravan.test.Events.event;
import static dev.caravan.test.Events.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.test.MarketingTest;
import dev.caravan.test.SettableClock;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** Campaigns through the real messaging pipeline (in-site inbox channel), with the time-travel clock. */
@MarketingTest
class CampaignTest {

    static final Instant MONDAY_NOON = Instant.parse("2026-11-23T12:00:00Z");

    @Autowired TestApi api;
    @Autowired TestStore store;
    @Autowired SettableClock clock;
    @Autowired CampaignDispatcher dispatcher;

    @BeforeEach
    void reset() {
        store.clear();
        clock.setTo(MONDAY_NOON);
    }

    @Test
    void abTestPicksTheWinnerAfterTheWindowAndSendsItToTheRest() throws Exception {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(event("v-" + i, "page_viewed", MONDAY_NOON.minusSeconds(3600).toString(),
                    customer("email", "c" + i + "@example.com", "timezone", "UTC", "language", "en"), map("url", "https://shop/")));
        }
        post(batch);
        String everyone = segment("Everyone", Map.of("field", "orders", "op", "gte", "value", 0));
        JsonNode created = created(api.admin().post().uri("/api/v1/campaigns").body(map(
                "name", "Winter hello", "segmentId", everyone, "channels", List.of("inbox"),
                "templates", Map.of("default", "win_back"),
                "abTest", map("variants", List.of(map("id", "A", "templates", Map.of("default", "win_back")),
                                map("id", "B", "templates", Map.of("default", "holiday_greeting"))),
                        "testShare", 0.5, "window", "PT2H", "metric", "open"))).retrieve().toEntity(JsonNode.class));
        String id = created.get("id").asString();
        assertThat(created.get("status").asString()).isEqualTo("draft");
        api.admin().post().uri("/api/v1/campaigns/{id}/launch", id).retrieve().toBodilessEntity();
        JsonNode testing = api.awaitJson(api.admin(), "/api/v1/campaigns/" + id,
                c -> c.get("status").asString().equals("testing"), Duration.ofSeconds(20));
        assertThat(Instant.parse(testing.get("testEndsAt").asString())).isBetween(MONDAY_NOON.plus(Duration.ofHours(2)),
                MONDAY_NOON.plus(Duration.ofHours(2)).plusSeconds(60));

        dispatcher.tick();
        List<Document> test = sends(id, "test");
        List<Document> rest = sends(id, "rest");
        assertThat(test).isNotEmpty().allMatch(s -> s.getString("state").equals("sent"));
        assertThat(rest).isNotEmpty().allMatch(s -> s.getString("state").equals("waiting"));
        assertThat(test).anyMatch(s -> s.getString("variant").equals("A")).anyMatch(s -> s.getString("variant").equals("B"));

        // Every B recipient reads the message; A recipients do not.
        for (Document s : test) {
            String messageId = s.getString("messageId");
            api.awaitJson(api.admin(), "/api/v1/messages/" + messageId,
                    m -> m.path("status").asString().equals("delivered"), Duration.ofSeconds(20));
            if (s.getString("variant").equals("B")) {
                assertThat(api.admin().post().uri("/api/v1/customers/{c}/inbox/{m}/read", s.getString("customerId"), messageId)
                        .retrieve().toBodilessEntity().getStatusCode().is2xxSuccessful()).isTrue();
            }
        }
        // each send records its message's latest status, even when the message's first status ("queued", recorded by
        // the round) is reported after the consumer's "delivered", as it can be
        assertThat(sends(id, "test")).allSatisfy(s -> assertThat(s.getString("messageStatus")).isIn("delivered", "read"));
        Document first = test.get(0);
        dispatcher.on(new dev.caravan.messaging.MessageStatusChanged(first.getString("messageId"),
                first.getString("customerId"), "inbox", "win_back", "marketing", "queued", null, null, null, null, null,
                null, id, MONDAY_NOON.minusSeconds(1)));
        assertThat(sends(id, "test").stream().filter(s -> s.get("_id").equals(first.get("_id"))).findFirst().orElseThrow()
                .getString("messageStatus")).isIn("delivered", "read");
        JsonNode stats = api.awaitJson(api.admin(), "/api/v1/campaigns/" + id + "/stats",
                st -> variant(st, "B").path("opened").asLong() == test.stream().filter(s -> s.getString("variant").equals("B")).count(),
                Duration.ofSeconds(20));
        assertThat(variant(stats, "A").get("opened").asLong()).isZero();

        // Within the window nothing happens; after it, B wins and goes to everyone else at once.
        clock.advance(Duration.ofMinutes(90));
        dispatcher.tick();
        assertThat(get(id).get("status").asString()).isEqualTo("testing");
        clock.advance(Duration.ofMinutes(31));
        dispatcher.tick();
        JsonNode decided = get(id);
        assertThat(decided.get("winner").asString()).isEqualTo("B");
        assertThat(decided.get("winnerMetric").get("B").asDouble()).isEqualTo(1.0);
        List<Document> after = sends(id, "rest");
        assertThat(after).hasSize(rest.size()).allMatch(s -> s.getString("variant").equals("B") && s.getString("state").equals("sent"));
        for (Document s : after) {
            JsonNode m = api.admin().get().uri("/api/v1/messages/{m}", s.getString("messageId")).retrieve().body(JsonNode.class);
            assertThat(m.get("template").asString()).isEqualTo("holiday_greeting");
            assertThat(m.get("campaignId").asString()).isEqualTo(id);
        }
        dispatcher.tick();
        assertThat(get(id).get("status").asString()).isEqualTo("completed");
        JsonNode finalStats = api.admin().get().uri("/api/v1/campaigns/{id}/stats", id).retrieve().body(JsonNode.class);
        assertThat(finalStats.get("total").get("sent").asLong()).isEqualTo(40);
        assertThat(variant(finalStats, "B").get("recipients").asLong()).isEqualTo(rest.size()
                + test.stream().filter(s -> s.getString("variant").equals("B")).count());
    }

    @Test
    void localTimeSchedulingAcrossThreeTimeZonesWithSuppressionAndPause() throws Exception {
        post(List.of(
                event("z-1", "page_viewed", MONDAY_NOON.minusSeconds(60).toString(),
                        customer("email", "li@example.cn", "timezone", "Asia/Shanghai", "language", "zh-CN"), map("url", "/")),
                event("z-2", "page_viewed", MONDAY_NOON.minusSeconds(60).toString(),
                        customer("email", "jonas@example.de", "country", "DE", "language", "de"), map("url", "/")),
                event("z-3", "page_viewed", MONDAY_NOON.minusSeconds(60).toString(),
                        customer("email", "amy@example.com", "timezone", "America/Los_Angeles", "language", "en"), map("url", "/")),
                event("z-4", "order_placed", MONDAY_NOON.minus(Duration.ofDays(2)).toString(),
                        customer("email", "buyer@example.com", "timezone", "UTC"),
                        map("orderId", "Z-4", "total", "20.00", "currency", "USD",
                                "lines", List.of(map("sku", "S-1", "quantity", 1, "unitPrice", "20.00"))))));
        String everyone = segment("Everyone here", Map.of("field", "orders", "op", "gte", "value", 0));
        var definition = api.admin().post().uri("/api/v1/coupons").body(map("id", "winter-10", "name", "Winter 10%", "kind", "percentage",
                "value", 10, "prefix", "XMAS-", "validDays", 30, "perCustomerLimit", 1)).retrieve().toEntity(String.class);
        assertThat(definition.getStatusCode().value()).as("%s", definition.getBody()).isEqualTo(201);
        Map<String, Object> body = map("name", "Tuesday 10:00 local", "segmentId", everyone, "channels", List.of("inbox"),
                "templates", Map.of("default", "win_back", "zh-CN", "holiday_greeting"),
                "schedule", map("type", "local_time", "date", "2026-11-24", "time", "10:00"),
                "suppression", map("recentBuyersDays", 7),
                "coupon", map("definitionId", "winter-10"));

        JsonNode dry = api.admin().post().uri("/api/v1/campaigns/dry-run").body(body).retrieve().body(JsonNode.class);
        assertThat(dry.get("audience").asLong()).isEqualTo(4);
        assertThat(dry.get("suppressed").get("recent_buyer").asLong()).isEqualTo(1);
        assertThat(dry.get("days")).hasSize(1);
        assertThat(dry.get("days").get(0).get("date").asString()).isEqualTo("2026-11-24");
        assertThat(dry.get("days").get(0).get("channels").get("inbox").asLong()).as("%s", dry).isEqualTo(3);

        String id = created(api.admin().post().uri("/api/v1/campaigns").body(body).retrieve().toEntity(JsonNode.class))
                .get("id").asString();
        api.admin().post().uri("/api/v1/campaigns/{id}/launch", id).retrieve().toBodilessEntity();
        api.awaitJson(api.admin(), "/api/v1/campaigns/" + id, c -> c.get("status").asString().equals("running"), Duration.ofSeconds(20));
        Map<String, Document> byEmail = byEmail(id);
        assertThat(byEmail.get("buyer@example.com").getString("state")).isEqualTo("suppressed");
        assertThat(byEmail.get("buyer@example.com").getString("reason")).isEqualTo("recent_buyer");
        assertThat(due(byEmail, "li@example.cn")).isEqualTo("2026-11-24T02:00:00Z");
        assertThat(due(byEmail, "jonas@example.de")).isEqualTo("2026-11-24T09:00:00Z");   // country DE: Europe/Berlin
        assertThat(due(byEmail, "amy@example.com")).isEqualTo("2026-11-24T18:00:00Z");

        dispatcher.tick();
        assertThat(sentEmails(id)).isEmpty();
        clock.setTo(Instant.parse("2026-11-24T02:01:00Z"));
        dispatcher.tick();
        assertThat(sentEmails(id)).as("%s", byEmail(id)).containsExactly("li@example.cn");
        Document li = byEmail(id).get("li@example.cn");
        JsonNode liMessage = api.admin().get().uri("/api/v1/messages/{m}", li.getString("messageId")).retrieve().body(JsonNode.class);
        assertThat(liMessage.get("template").asString()).isEqualTo("holiday_greeting");   // template per language
        assertThat(liMessage.toString()).contains("XMAS-");                                 // a coupon per recipient
        String code = liMessage.get("params").get("coupon").get("code").asString();
        JsonNode issued = api.admin().get().uri("/api/v1/coupons/codes/{c}", code).retrieve().body(JsonNode.class);
        assertThat(issued.get("definitionId").asString()).isEqualTo("winter-10");         // a real, redeemable code
        assertThat(issued.get("attribution").get("campaignId").asString()).isEqualTo(id);

        // paused at Berlin's 10:00: nothing goes; resumed, Jonas gets his
        api.admin().post().uri("/api/v1/campaigns/{id}/pause", id).retrieve().toBodilessEntity();
        clock.setTo(Instant.parse("2026-11-24T09:01:00Z"));
        dispatcher.tick();
        assertThat(sentEmails(id)).containsExactly("li@example.cn");
        assertThat(api.admin().post().uri("/api/v1/campaigns/{id}/resume", id).retrieve().body(JsonNode.class)
                .get("status").asString()).isEqualTo("running");
        dispatcher.tick();
        assertThat(sentEmails(id)).containsExactlyInAnyOrder("li@example.cn", "jonas@example.de");
        clock.setTo(Instant.parse("2026-11-24T17:59:00Z"));
        dispatcher.tick();
        assertThat(sentEmails(id)).hasSize(2);
        clock.setTo(Instant.parse("2026-11-24T18:00:30Z"));
        dispatcher.tick();
        assertThat(sentEmails(id)).containsExactlyInAnyOrder("li@example.cn", "jonas@example.de", "amy@example.com");
        dispatcher.tick();
        assertThat(get(id).get("status").asString()).isEqualTo("completed");
        ResponseEntity<JsonNode> cancel = api.admin().post().uri("/api/v1/campaigns/{id}/cancel", id).retrieve().toEntity(JsonNode.class);
        assertThat(cancel.getStatusCode().value()).isEqualTo(409);
    }

    @Test
    void invalidCampaignsAreRefused() {
        String everyone = segment("All", Map.of("field", "orders", "op", "gte", "value", 0));
        ResponseEntity<JsonNode> r = api.admin().post().uri("/api/v1/campaigns").body(map("name", "x", "segmentId", everyone,
                "channels", List.of("amazon", "pigeon"), "templates", Map.of("default", "no_such_template"),
                "schedule", map("type", "local_time", "time", "25:00"))).retrieve().toEntity(JsonNode.class);
        assertThat(r.getStatusCode().value()).isEqualTo(400);
        assertThat(r.getBody().get("errors").toString()).contains("channels").contains("schedule.time").contains("templates");
    }

    private static JsonNode variant(JsonNode stats, String id) {
        for (JsonNode v : stats.get("variants")) if (v.get("variant").asString().equals(id)) return v;
        return tools.jackson.databind.node.MissingNode.getInstance();
    }

    private String due(Map<String, Document> byEmail, String email) {
        return byEmail.get(email).getDate("dueAt").toInstant().toString();
    }

    private List<String> sentEmails(String id) {
        List<String> out = new ArrayList<>();
        byEmail(id).forEach((email, s) -> { if (s.getString("state").equals("sent")) out.add(email); });
        return out;
    }

    private Map<String, Document> byEmail(String campaignId) {
        Map<String, Document> out = new HashMap<>();
        for (Document s : store.mongo().getCollection("campaign_sends").find(new Document("campaignId", campaignId))) {
            // contact data is encrypted at rest: read the customer through the mapping
            dev.caravan.customer.Customer c = store.mongo().findById(s.getString("customerId"), dev.caravan.customer.Customer.class);
            out.put(c.getEmails().get(0), s);
        }
        return out;
    }

    private List<Document> sends(String campaignId, String group) {
        return store.mongo().getCollection("campaign_sends").find(new Document("campaignId", campaignId).append("group", group))
                .into(new ArrayList<>());
    }

    private JsonNode get(String id) {
        return api.admin().get().uri("/api/v1/campaigns/{id}", id).retrieve().body(JsonNode.class);
    }

    private static JsonNode created(ResponseEntity<JsonNode> r) {
        assertThat(r.getStatusCode().value()).as("%s", r.getBody()).isEqualTo(201);
        return r.getBody();
    }

    private String segment(String name, Map<String, Object> condition) {
        return created(api.admin().post().uri("/api/v1/segments").body(Map.of("name", name, "condition", condition))
                .retrieve().toEntity(JsonNode.class)).get("id").asString();
    }

    private void post(List<Map<String, Object>> batch) {
        JsonNode r = api.admin().post().uri("/api/v1/events").body(batch).retrieve().body(JsonNode.class);
        assertThat(r.get("rejected").asInt()).as("%s", r).isZero();
    }
}
