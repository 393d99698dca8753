package dev.caravan.segment;

import static dev.caravan.test.Events.customer;
import static dev.caravan.test.Events.event;
import static dev.caravan.test.Events.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.caravan.test.MarketingTest;
import dev.caravan.test.SettableClock;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@MarketingTest
class SegmentApiTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Autowired TestApi api;
    @Autowired TestStore store;
    @Autowired SettableClock clock;
    @Autowired SegmentWorker worker;
    @Autowired MarketingTest.DomainEvents events;
    @Autowired JsonMapper json;

    @BeforeEach
    void reset() throws Exception {
        awaitIdle();
        store.clear();
        clock.setTo(NOW);
        events.all.clear();
    }

    @Test
    void injectionAttemptsAreRefusedAndNothingIsStored() {
        List<String> attempts = List.of(
                // a raw query operator as the field
                "{\"name\": \"x1\", \"condition\": {\"field\": \"$where\", \"op\": \"eq\", \"value\": \"sleep(1000)\"}}",
                // an operator object as the value
                "{\"name\": \"x2\", \"condition\": {\"field\": \"country\", \"op\": \"eq\", \"value\": {\"$where\": \"this.a == 1\"}}}",
                // an operator-looking string
                "{\"name\": \"x3\", \"condition\": {\"field\": \"tags\", \"op\": \"contains\", \"value\": \"$where\"}}",
                // an extra key smuggled into a leaf
                "{\"name\": \"x4\", \"condition\": {\"field\": \"tier\", \"op\": \"eq\", \"value\": \"core\", \"$where\": \"1\"}}",
                // DRL fragments in values
                "{\"name\": \"x5\", \"condition\": {\"field\": \"tier\", \"op\": \"eq\", \"value\": \"core\\\" || eval(true) || \\\"\"}}",
                "{\"name\": \"x6\", \"condition\": {\"event\": \"order_placed\", \"field\": \"sku\", \"op\": \"eq\", "
                        + "\"value\": \"X\\\") then System.exit(0); end rule \\\"y\"}}",
                "{\"name\": \"x7\", \"condition\": {\"any\": [{\"field\": \"country\", \"op\": \"eq\", "
                        + "\"value\": \"DE\\\"; modify($c){setTier(\\\"core\\\")}\"}]}}",
                // an unknown operator and an unknown field
                "{\"name\": \"x8\", \"condition\": {\"field\": \"country\", \"op\": \"$ne\", \"value\": \"DE\"}}",
                "{\"name\": \"x9\", \"condition\": {\"field\": \"emails\", \"op\": \"eq\", \"value\": \"a@b.c\"}}");
        for (String body : attempts) {
            ResponseEntity<JsonNode> r = api.admin().post().uri("/api/v1/segments")
                    .contentType(org.springframework.http.MediaType.APPLICATION_JSON).body(body).retrieve()
                    .toEntity(JsonNode.class);
            assertThat(r.getStatusCode().value()).as(body).isEqualTo(400);
            assertThat(r.getBody().path("errors").isArray()).as("%s", r.getBody()).isTrue();
        }
        // the preview refuses them too, and nothing was stored
        JsonNode preview = api.admin().post().uri("/api/v1/segments/preview")
                .body(Map.of("condition", Map.of("field", "$where", "op", "eq", "value", "1"))).retrieve()
                .toEntity(JsonNode.class).getBody();
        assertThat(preview.path("status").asInt()).isEqualTo(400);
        assertThat(api.admin().get().uri("/api/v1/segments").retrieve().body(JsonNode.class)).isEmpty();
        assertThat(store.mongo().getCollection("segments").countDocuments()).isZero();
    }

    @Test
    void membershipFollowsEventsAndPublishesEntryAndExit() throws Exception {
        // Anna (DE) and Bob (FR) exist; Anna views shoes.
        post(List.of(
                view("e-1", "anna@example.de", "DE", "SHOE-1", "shoes", NOW.minus(Duration.ofDays(2))),
                event("e-2", "page_viewed", NOW.minus(Duration.ofDays(1)).toString(),
                        customer("email", "bob@example.fr", "country", "France"), map("url", "https://shop/x"))));
        JsonNode bags = create("Viewed bags lately", Map.of("all", List.of(
                Map.of("field", "country", "op", "in", "value", List.of("Germany", "AT")),
                Map.of("event", "product_viewed", "field", "category", "op", "eq", "value", "bags", "days", 30))));
        String id = bags.get("id").asString();
        // canonical form: country names stored as codes
        assertThat(bags.get("condition").get("all").get(0).get("value").toString()).isEqualTo("[\"DE\",\"AT\"]");
        awaitJob(bags.get("refreshJobId").asString());
        assertThat(count(id)).isZero();

        post(List.of(view("e-3", "anna@example.de", "DE", "BAG-9", "Bags", NOW.minus(Duration.ofHours(1)))));
        String anna = awaitMember(id);
        assertThat(count(id)).isEqualTo(1);
        SegmentEntered entered = events.of(SegmentEntered.class).stream().filter(e -> e.segmentId().equals(id))
                .findFirst().orElseThrow();
        assertThat(entered.customerId()).isEqualTo(anna);
        assertThat(entered.live()).isTrue();
        assertThat(entered.at()).isBetween(NOW, NOW.plusSeconds(60));

        // a replayed event changes nothing; time passing does: after 31 days the periodic refresh lets her go
        post(List.of(view("e-3", "anna@example.de", "DE", "BAG-9", "Bags", NOW.minus(Duration.ofHours(1)))));
        awaitIdle();
        clock.advance(Duration.ofDays(31));
        jobs.refreshAll();
        JsonNode members = api.admin().get().uri("/api/v1/segments/{id}/members", id).retrieve().body(JsonNode.class);
        assertThat(members.get("totalElements").asLong()).isZero();
        SegmentLeft left = events.of(SegmentLeft.class).stream().filter(e -> e.segmentId().equals(id)).findFirst().orElseThrow();
        assertThat(left.customerId()).isEqualTo(anna);
        assertThat(left.live()).isTrue();
    }

    @Autowired SegmentJobs jobs;

    @Test
    void ordersSkusAndPreviewWithWarnings() throws Exception {
        post(List.of(
                order("o-1", "cy@example.com", "GB", "A-1", "MUG-RED", "kitchen", "12.50"),
                order("o-2", "cy@example.com", "GB", "A-2", "MUG-BLUE", "kitchen", "30.00"),
                order("o-3", "di@example.com", "GB", "A-3", "LAMP-1", "lighting", "80.00"),
                event("e-9", "added_to_cart", NOW.minus(Duration.ofHours(3)).toString(),
                        customer("email", "ed@example.com", "country", "GB"), map("sku", "LAMP-1", "category", "lighting"))));
        awaitIdle();
        JsonNode bought = create("Bought the red mug", Map.of("event", "order_placed", "field", "sku", "op", "eq", "value", "MUG-RED"));
        awaitJob(bought.get("refreshJobId").asString());
        assertThat(count(bought.get("id").asString())).isEqualTo(1);

        // "added to cart but no order in 7 days"
        JsonNode abandoned = create("Cart, no order", Map.of("all", List.of(
                Map.of("event", "added_to_cart", "op", "within_days", "value", 7),
                Map.of("event", "order_placed", "op", "not_within_days", "value", 7))));
        awaitJob(abandoned.get("refreshJobId").asString());
        JsonNode members = api.admin().get().uri("/api/v1/segments/{id}/members", abandoned.get("id").asString())
                .retrieve().body(JsonNode.class);
        assertThat(members.get("totalElements").asLong()).isEqualTo(1);
        assertThat(members.get("content").get(0).get("email").asString()).isEqualTo("ed@example.com");

        JsonNode preview = api.admin().post().uri("/api/v1/segments/preview").body(Map.of("sample", 5, "condition",
                Map.of("any", List.of(
                        Map.of("field", "orders", "op", "gte", "value", 2),
                        Map.of("event", "order_placed", "field", "category", "op", "contains", "value", "light")))))
                .retrieve().body(JsonNode.class);
        assertThat(preview.get("count").asLong()).isEqualTo(2);
        assertThat(preview.get("sample")).hasSize(2);
        assertThat(preview.get("expensive").asBoolean()).isTrue();
        assertThat(preview.get("warnings").toString()).contains("every customer is evaluated").contains("contains");

        JsonNode cheap = api.admin().post().uri("/api/v1/segments/preview").body(Map.of("condition",
                Map.of("all", List.of(Map.of("field", "country", "op", "eq", "value", "GB"),
                        Map.of("field", "orders", "op", "gte", "value", 2))))).retrieve().body(JsonNode.class);
        assertThat(cheap.get("count").asLong()).isEqualTo(1);
        assertThat(cheap.get("narrowedByStore").asBoolean()).isTrue();
        assertThat(cheap.get("expensive").asBoolean()).isFalse();

        String csv = api.admin().get().uri("/api/v1/segments/{id}/export", bought.get("id").asString()).retrieve().body(String.class);
        assertThat(csv.lines().toList()).hasSize(2);
        assertThat(csv).contains("cy@example.com");
    }

    private Map<String, Object> view(String id, String email, String country, String sku, String category, Instant at) {
        return event(id, "product_viewed", at.toString(), customer("email", email, "country", country),
                map("sku", sku, "category", category));
    }

    private Map<String, Object> order(String id, String email, String country, String orderId, String sku,
                                      String category, String total) {
        return event(id, "order_placed", NOW.minus(Duration.ofDays(1)).toString(), customer("email", email, "country", country),
                map("orderId", orderId, "total", total, "currency", "USD",
                        "lines", List.of(map("sku", sku, "category", category, "quantity", 1, "unitPrice", total))));
    }

    private void post(List<Map<String, Object>> batch) {
        JsonNode r = api.admin().post().uri("/api/v1/events").body(batch).retrieve().body(JsonNode.class);
        assertThat(r.get("rejected").asInt()).as("%s", r).isZero();
    }

    private JsonNode create(String name, Map<String, Object> condition) {
        ResponseEntity<JsonNode> r = api.admin().post().uri("/api/v1/segments")
                .body(Map.of("name", name, "description", "test", "condition", condition)).retrieve().toEntity(JsonNode.class);
        assertThat(r.getStatusCode().value()).as("%s", r.getBody()).isEqualTo(201);
        return r.getBody();
    }

    private long count(String id) {
        return api.admin().get().uri("/api/v1/segments/{id}/count", id).retrieve().body(JsonNode.class).get("count").asLong();
    }

    private void awaitJob(String jobId) {
        api.awaitJson(api.admin(), "/api/v1/segments/jobs/" + jobId, j -> j.path("state").asString().equals("SUCCEEDED"),
                Duration.ofSeconds(30));
    }

    private String awaitMember(String segmentId) {
        JsonNode page = api.awaitJson(api.admin(), "/api/v1/segments/" + segmentId + "/members",
                p -> p.path("totalElements").asLong() == 1, Duration.ofSeconds(15));
        return page.get("content").get(0).get("customerId").asString();
    }

    private void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!worker.idle() && System.nanoTime() < deadline) Thread.sleep(20);
    }
}
