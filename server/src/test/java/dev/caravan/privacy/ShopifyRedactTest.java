package dev.caravan.privacy;

import static dev.caravan.test.Events.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.connector.ConnectorTest;
import dev.caravan.customer.Customer;
import dev.caravan.integrations.marketplace.ShopifyPayloads;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.data.mongodb.core.MongoTemplate;
import tools.jackson.databind.JsonNode;

/** Shopify {@code customers/redact} (payload shaped like Shopify's published sample) erases the person. */
@ConnectorTest
class ShopifyRedactTest {

    static final String SHOP = "zq-redact.myshopify.com";
    static final String SECRET = "shpss_redact_test_secret";

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;
    @Autowired
    MongoTemplate mongo;

    String connection;

    @BeforeEach
    void shop() {
        store.clear();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "shopify");
        body.put("name", "redact test");
        body.put("settings", Map.of("shopDomain", SHOP));
        body.put("credentials", Map.of("webhookSecret", SECRET));
        body.put("baseUrl", "http://127.0.0.1:9");
        body.put("authUrl", "http://127.0.0.1:9/admin/oauth/access_token");
        body.put("syncFrom", "2025-01-01T00:00:00Z");
        ResponseEntity<JsonNode> r = api.admin().post().uri("/api/v1/connections").body(body).retrieve()
                .toEntity(JsonNode.class);
        assertThat(r.getStatusCode().value()).as("%s", r.getBody()).isEqualTo(201);
        connection = r.getBody().get("id").asString();
    }

    static Map<String, Object> buyer(String id, String email, String name) {
        Map<String, Object> m = map("platform", "shopify", "storeId", SHOP, "buyerId", id, "name", name,
                "consents", map("email", true));
        if (email != null) m.put("email", email);
        if ("191167".equals(id)) m.put("phone", "+1 415 963 1099");
        return m;
    }

    JsonNode post(Object events) {
        return api.admin().post().uri("/api/v1/events").body(events).retrieve().body(JsonNode.class);
    }

    ResponseEntity<JsonNode> redact(String customerId, String email, String phone, String deliveryId) {
        String json = "{\"shop_id\": 954889, \"shop_domain\": \"" + SHOP + "\", \"customer\": {\"id\": " + customerId
                + ", \"email\": \"" + email + "\", \"phone\": \"" + phone + "\"}, \"orders_to_redact\": [299938]}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return api.anonymous().post().uri("/webhooks/shopify/{id}", connection)
                .header("Content-Type", "application/json")
                .header("X-Shopify-Topic", "customers/redact")
                .header("X-Shopify-Hmac-Sha256", ShopifyPayloads.sign(body, SECRET))
                .header("X-Shopify-Shop-Domain", SHOP)
                .header("X-Shopify-Webhook-Id", deliveryId)
                .body(body).retrieve().toEntity(JsonNode.class);
    }

    @Test
    void customersRedactErasesTheBuyerAndKeepsLaterSyncsFromBringingThemBack() {
        String now = Instant.now().toString();
        JsonNode r = post(List.of(
                map("eventId", "s-1", "type", "order_placed", "occurredAt", now,
                        "customer", buyer("191167", "ysolde.vantreeck@example.com", "Ysolde Vantreeck"),
                        "properties", map("orderId", "299938", "storeId", SHOP, "total", "25.00", "currency", "EUR")),
                map("eventId", "s-2", "type", "order_placed", "occurredAt", now,
                        "customer", buyer("5005", "other.buyer@example.com", "Other Buyer"),
                        "properties", map("orderId", "300001", "storeId", SHOP, "total", "10.00", "currency", "EUR"))));
        assertThat(r.path("accepted").asInt()).as("%s", r).isEqualTo(2);
        String id = r.path("results").get(0).path("customerId").asString();

        ResponseEntity<JsonNode> answer = redact("191167", "ysolde.vantreeck@example.com", "415-963-1099", "rd-1");
        redact("191167", "ysolde.vantreeck@example.com", "415-963-1099", "rd-1"); // redelivered

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        Customer c = mongo.findById(id, Customer.class);
        assertThat(c.getErasedAt()).isNotNull();
        assertThat(c.getEmails()).isEmpty();
        Document request = mongo.getCollection("data_subject_requests").find().first();
        assertThat(request.getString("status")).isEqualTo("completed");
        assertThat(request.get("email")).isNull();
        assertThat(request.getList("erasedCustomerIds", String.class)).containsExactly(id);
        assertThat(mongo.getCollection("erasures").find(new Document("_id", id)).first().getString("reason"))
                .isEqualTo("shopify:customers/redact");
        assertThat(RawStoreScan.find(mongo, "ysolde.vantreeck@example.com", "4159631099", "Ysolde", "Vantreeck")).isEmpty();
        assertThat(mongo.getCollection("identity_keys").countDocuments(new Document("_id",
                store.emailKey("other.buyer@example.com")))).isEqualTo(1); // nobody else touched
        assertThat(mongo.getCollection("orders").countDocuments()).isEqualTo(2); // revenue kept

        // a later sync of the same buyer (same path as the connector: the ingest pipeline) creates nothing
        JsonNode later = post(List.of(map("eventId", "s-3", "type", "order_placed", "occurredAt", now,
                "customer", buyer("191167", null, "Ysolde Vantreeck"),
                "properties", map("orderId", "299938", "storeId", SHOP, "total", "25.00", "currency", "EUR"))));
        assertThat(later.path("rejected").asInt()).isEqualTo(1);
        assertThat(RawStoreScan.find(mongo, "Vantreeck")).isEmpty();
    }

    @Test
    void aRedactForSomeoneNotYetKnownStillKeepsThemOut() {
        ResponseEntity<JsonNode> answer = redact("8888", "ghost.buyer@example.com", "", "rd-2");
        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        assertThat(mongo.getCollection("data_subject_requests").find().first().getString("status")).isEqualTo("completed");

        JsonNode later = post(List.of(map("eventId", "g-1", "type", "order_placed", "occurredAt", Instant.now().toString(),
                "customer", map("platform", "shopify", "storeId", SHOP, "buyerId", "8888"),
                "properties", map("orderId", "1", "storeId", SHOP, "total", "5.00", "currency", "EUR")),
                map("eventId", "g-2", "type", "page_viewed", "occurredAt", Instant.now().toString(),
                        "customer", map("email", "Ghost.Buyer@example.com"), "properties", map())));
        assertThat(later.path("rejected").asInt()).isEqualTo(2);
        assertThat(mongo.getCollection("customers").countDocuments()).isZero();
    }
}
