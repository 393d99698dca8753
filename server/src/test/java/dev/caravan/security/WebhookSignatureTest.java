package dev.caravan.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.test.CaravanTest;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * Every inbound webhook in the OpenAPI document ({@code POST /webhooks/**}) refuses unsigned and wrongly signed
 * requests and stores nothing. Per-provider happy paths with valid signatures are in ShopifyWebhookTest and
 * MessagingChannelsTest.
 */
@CaravanTest
class WebhookSignatureTest {

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;

    String shopifyConnection;

    @BeforeEach
    void setUp() {
        store.clear();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "shopify");
        body.put("name", "webhook check");
        body.put("settings", Map.of("shopDomain", "signature-check.myshopify.com"));
        body.put("credentials", Map.of("accessToken", "shpat_x", "webhookSecret", "the-real-secret"));
        body.put("baseUrl", "http://127.0.0.1:9");
        JsonNode created = api.admin().post().uri("/api/v1/connections").body(body).retrieve().body(JsonNode.class);
        shopifyConnection = created.get("id").asString();
        api.admin().post().uri("/api/v1/connections/" + shopifyConnection + "/disable").retrieve().toBodilessEntity();
    }

    @Test
    void everyWebhookRejectsUnsignedAndForgedRequests() {
        JsonNode paths = api.admin().get().uri("/v3/api-docs").retrieve().body(JsonNode.class).get("paths");
        List<String> checked = new ArrayList<>();
        String payload = "{\"id\":1,\"email\":\"forged@example.com\",\"entry\":[{\"changes\":[{\"value\":{\"messages\":"
                + "[{\"from\":\"4915100000000\",\"id\":\"m1\",\"timestamp\":\"1700000000\",\"text\":{\"body\":\"STOP\"}}]}}]}]}";
        for (String path : paths.propertyNames()) {
            if (!path.startsWith("/webhooks/") || !paths.get(path).has("post")) continue;
            String uri = path.replaceAll("\\{[^}]+}", shopifyConnection);
            Map<String, String> forged = Map.of(
                    "X-Shopify-Hmac-Sha256", "bm90LXRoZS1zaWduYXR1cmU=",
                    "X-Shopify-Topic", "orders/create",
                    "X-Shopify-Shop-Domain", "signature-check.myshopify.com",
                    "X-Hub-Signature-256", "sha256=" + "00".repeat(32));
            for (boolean sign : List.of(false, true)) {
                int status = api.anonymous().post().uri(uri).contentType(MediaType.APPLICATION_JSON)
                        .headers(h -> { if (sign) forged.forEach(h::set); })
                        .body(payload).retrieve().toBodilessEntity().getStatusCode().value();
                assertThat(status).as((sign ? "forged " : "unsigned ") + path).isIn(401, 403);
            }
            checked.add(path);
        }
        assertThat(checked).contains("/webhooks/shopify/{connectionId}", "/webhooks/whatsapp");
        for (String collection : List.of("customers", "orders", "behaviour_events", "consent_ledger")) {
            assertThat(store.mongo().getCollection(collection).countDocuments()).as(collection).isZero();
        }
    }
}
