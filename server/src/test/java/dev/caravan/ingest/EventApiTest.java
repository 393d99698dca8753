package dev.caravan.ingest;

import static dev.caravan.test.Events.customer;
import static dev.caravan.test.Events.event;
import static dev.caravan.test.Events.map;
import static dev.caravan.test.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.caravan.test.CaravanTest;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

@CaravanTest
class EventApiTest {

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;

    RestClient admin;

    @BeforeEach
    void setUp() {
        store.clear();
        admin = api.admin();
    }

    @Test
    void replayedEventsAreCountedOnce() {
        List<Object> batch = List.of(
                order("o-1", "2026-05-01T09:00:00Z", customer("email", "bo@example.com"), "W-1", "19.90", "EUR"),
                event("v-1", "product_viewed", "2026-05-01T08:55:00Z", customer("email", "bo@example.com"),
                        map("sku", "MUG-1", "price", 9.5)));
        JsonNode first = post(batch).getBody();
        assertThat(first.get("accepted").asInt()).isEqualTo(2);
        JsonNode replay = post(batch).getBody();
        assertThat(replay.get("accepted").asInt()).isZero();
        assertThat(replay.get("duplicates").asInt()).isEqualTo(2);
        // A duplicate inside one request counts once too.
        JsonNode twice = post(List.of(
                event("v-2", "added_to_cart", "2026-05-01T09:10:00Z", customer("email", "bo@example.com"), map("sku", "MUG-1")),
                event("v-2", "added_to_cart", "2026-05-01T09:10:00Z", customer("email", "bo@example.com"), map("sku", "MUG-1"))))
                .getBody();
        assertThat(twice.get("accepted").asInt()).isEqualTo(1);
        assertThat(twice.get("duplicates").asInt()).isEqualTo(1);
        // Ids that look like store object ids stay plain strings, so they dedupe too.
        var hexId = List.of(event("6b0474c042461b8c6ec78f26", "searched", "2026-05-01T09:20:00Z",
                customer("email", "bo@example.com"), map("query", "mug")));
        assertThat(post(hexId).getBody().get("accepted").asInt()).isEqualTo(1);
        assertThat(post(hexId).getBody().get("duplicates").asInt()).isEqualTo(1);

        JsonNode c = admin.get().uri("/api/v1/customers?q=bo@example.com").retrieve().body(JsonNode.class)
                .get("content").get(0);
        assertThat(c.get("metrics").get("orderCount").asLong()).isEqualTo(1);
        assertThat(store.mongo().getCollection("behaviour_events").countDocuments()).isEqualTo(4);
        JsonNode timeline = admin.get().uri("/api/v1/customers/" + c.get("id").asString() + "/timeline")
                .retrieve().body(JsonNode.class);
        // each event once in the timeline (other features add their own entries, e.g. the points the order earned)
        assertThat(timeline).extracting(e -> e.get("kind").asString())
                .filteredOn(k -> !k.equals("points"))
                .containsExactly("searched", "added_to_cart", "order", "product_viewed");
    }

    @Test
    void eachBadItemGetsFieldErrorsAndTheGoodOnesAreStored() {
        ResponseEntity<JsonNode> r = post(List.of(
                order("ok-1", "2026-05-01T09:00:00Z", customer("email", "cy@example.com"), "W-2", "10", "USD"),
                map("eventId", "bad-1", "type", "order_placed", "occurredAt", "yesterday",
                        "customer", customer("email", "not-an-email", "phone", "12"),
                        "properties", map("orderId", "W-3", "total", "ten", "currency", "ZZZ")),
                map("eventId", "bad-2", "type", "teleported", "occurredAt", "2026-05-01T09:00:00Z",
                        "customer", customer("email", "cy@example.com")),
                map("type", "review", "occurredAt", "2026-05-01T09:00:00Z", "customer", map(),
                        "properties", map("rating", 9))));
        assertThat(r.getStatusCode().value()).isEqualTo(200);
        JsonNode body = r.getBody();
        assertThat(body.get("accepted").asInt()).isEqualTo(1);
        assertThat(body.get("rejected").asInt()).isEqualTo(3);
        assertThat(fields(body.get("results").get(1))).contains("occurredAt", "customer.email", "customer.phone",
                "properties.total", "properties.currency");
        assertThat(fields(body.get("results").get(2))).contains("type");
        assertThat(fields(body.get("results").get(3))).contains("eventId", "properties.rating", "customer");
        assertThat(store.mongo().getCollection("orders").countDocuments()).isEqualTo(1);
    }

    @Test
    void allRejectedIsA400ProblemDocument() {
        ResponseEntity<JsonNode> r = admin.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON)
                .body(map("eventId", "x", "type", "order_placed")).retrieve().toEntity(JsonNode.class);
        assertThat(r.getStatusCode().value()).isEqualTo(400);
        assertThat(r.getHeaders().getContentType().toString()).contains("problem+json");
        assertThat(r.getBody().get("results").get(0).get("errors")).isNotEmpty();
    }

    @Test
    void malformedJsonIsA400NotA500() {
        ResponseEntity<JsonNode> r = admin.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON)
                .body("{\"eventId\": ").retrieve().toEntity(JsonNode.class);
        assertThat(r.getStatusCode().value()).isEqualTo(400);
    }

    @Test
    void orderLifecycleRefundAndComplaintResolution() {
        var who = customer("platform", "ebay", "buyerId", "dee", "email", "dee@example.com", "country", "Germany",
                "language", "de_DE", "timezone", "Europe/Berlin", "consents", map("email", true));
        post(List.of(order("l-1", "2026-06-01T10:00:00Z", who, "E-9", "100.00", "EUR"),
                event("l-2", "order_shipped", "2026-06-02T10:00:00Z", who, map("orderId", "E-9")),
                event("l-3", "complaint", "2026-06-05T10:00:00Z", who, map("text", "Broken handle", "orderId", "E-9")),
                event("l-4", "order_refunded", "2026-06-06T10:00:00Z", who, map("orderId", "E-9", "amount", "40.00",
                        "currency", "EUR", "reason", "damaged"))));
        post(List.of(event("l-5", "complaint_resolved", "2026-06-07T10:00:00Z", who, map("complaintEventId", "l-3"))));

        JsonNode c = admin.get().uri("/api/v1/customers?identity=ebay:dee").retrieve().body(JsonNode.class)
                .get("content").get(0);
        assertThat(c.get("country").asString()).isEqualTo("DE");
        assertThat(c.get("language").asString()).isEqualTo("de-DE");
        assertThat(c.get("consents").get("email").get("granted").asBoolean()).isTrue();
        assertThat(c.get("metrics").get("returnCount").asLong()).isEqualTo(1);
        JsonNode view = admin.get().uri("/api/v1/customers/" + c.get("id").asString()).retrieve().body(JsonNode.class);
        JsonNode orderDoc = view.get("orders").get("items").get(0);
        assertThat(orderDoc.get("status").asString()).isEqualTo("shipped");
        assertThat(orderDoc.get("shippedAt").asString()).startsWith("2026-06-02");
        assertThat(view.get("returns").get("items").get(0).get("amount").decimalValue()).isEqualByComparingTo("40.00");
        assertThat(view.get("interactions").get("openComplaints").asLong()).isZero();
        assertThat(view.get("interactions").get("items").get(0).get("resolved").asBoolean()).isTrue();
    }

    @Test
    void cancellingAnOrderTakesItOutOfTheMetrics() {
        var who = customer("email", "eve@example.com");
        post(List.of(order("c-1", "2026-06-01T10:00:00Z", who, "C-1", "30", "USD"),
                order("c-2", "2026-06-03T10:00:00Z", who, "C-2", "70", "USD")));
        post(List.of(event("c-3", "order_cancelled", "2026-06-04T10:00:00Z", who, map("orderId", "C-2"))));
        JsonNode m = admin.get().uri("/api/v1/customers?q=eve@example.com").retrieve().body(JsonNode.class)
                .get("content").get(0).get("metrics");
        assertThat(m.get("orderCount").asLong()).isEqualTo(1);
        assertThat(m.get("totalSpend").decimalValue()).isEqualByComparingTo("30");
    }

    private ResponseEntity<JsonNode> post(Object body) {
        return admin.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toEntity(JsonNode.class);
    }

    private static List<String> fields(JsonNode result) {
        return result.get("errors").valueStream().map(e -> e.get("field").asString()).toList();
    }
}
