package dev.caravan.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

@ConnectorTest
class ConnectionApiTest extends ConnectorTestBase {

    static final String SECRET = "lwa-very-secret-value";

    Map<String, Object> amazonBody(String seller, String marketplace) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "amazon");
        body.put("name", "Amazon " + marketplace);
        body.put("settings", Map.of("sellerId", seller, "marketplaceId", marketplace, "region", "eu"));
        body.put("credentials", Map.of("clientId", "amzn1.client", "clientSecret", SECRET, "refreshToken", "Atzr|refresh"));
        return body;
    }

    @Test
    void listsTheConnectorTypes() {
        JsonNode types = api.admin().get().uri("/api/v1/connections/types").retrieve().body(JsonNode.class);
        assertThat(types).extracting(t -> t.get("type").asString())
                .containsExactly("amazon", "ebay", "shopify", "aliexpress");
        JsonNode amazon = types.get(0);
        assertThat(amazon.get("credentials").toString()).contains("refreshToken");
        assertThat(amazon.get("settings").toString()).contains("marketplaceId");
    }

    @Test
    void keepsCredentialsEncryptedAndNeverReturnsThem() {
        ResponseEntity<String> created = api.admin().post().uri("/api/v1/connections")
                .body(amazonBody("A2SELLER", "A1PA6795UKMFR9")).retrieve().toEntity(String.class);
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        assertThat(created.getBody()).doesNotContain(SECRET).doesNotContain("Atzr|refresh");
        JsonNode view = Contracts.JSON.readTree(created.getBody());
        String id = view.get("id").asString();
        assertThat(view.get("storeId").asString()).isEqualTo("A1PA6795UKMFR9");
        assertThat(view.get("credentialsSet")).extracting(JsonNode::asString)
                .containsExactly("clientId", "clientSecret", "refreshToken");
        assertThat(view.get("status").get("nextRunAt").isNull()).isFalse();

        String listed = api.admin().get().uri("/api/v1/connections").retrieve().body(String.class);
        assertThat(listed).contains(id).doesNotContain(SECRET);
        Document raw = mongo.getCollection("connections").find(new Document("_id", id)).first();
        assertThat(raw.toJson()).doesNotContain(SECRET).doesNotContain("Atzr|refresh");
        assertThat(raw.getString("sealedCredentials")).isNotBlank();
        assertThat(connections.credentials(connections.get(id))).containsEntry("clientSecret", SECRET);

        // an update without credentials keeps them; one with a credential replaces just that one
        Map<String, Object> update = new LinkedHashMap<>(amazonBody("A2SELLER", "A1PA6795UKMFR9"));
        update.remove("credentials");
        update.put("pollInterval", "PT30M");
        update.put("baseUrl", "https://sandbox.sellingpartnerapi-eu.amazon.com");
        JsonNode updated = api.admin().put().uri("/api/v1/connections/{id}", id).body(update).retrieve().body(JsonNode.class);
        assertThat(updated.get("pollInterval").asString()).isEqualTo("PT30M");
        assertThat(updated.get("baseUrl").asString()).isEqualTo("https://sandbox.sellingpartnerapi-eu.amazon.com");
        assertThat(connections.credentials(connections.get(id))).containsEntry("clientSecret", SECRET);
        update.put("credentials", Map.of("refreshToken", "Atzr|rotated"));
        api.admin().put().uri("/api/v1/connections/{id}", id).body(update).retrieve().toBodilessEntity();
        assertThat(connections.credentials(connections.get(id))).containsEntry("clientSecret", SECRET)
                .containsEntry("refreshToken", "Atzr|rotated");
    }

    @Test
    void rejectsInvalidConnectionsFieldByField() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "amazon");
        body.put("settings", Map.of("marketplaceId", "ATVPDKIKX0DER", "region", "mars", "colour", "red"));
        body.put("credentials", Map.of("clientId", "x"));
        body.put("baseUrl", "ftp://example.com");
        body.put("pollInterval", "PT5S");
        ResponseEntity<JsonNode> r = api.admin().post().uri("/api/v1/connections").body(body).retrieve()
                .toEntity(JsonNode.class);
        assertThat(r.getStatusCode().value()).isEqualTo(400);
        assertThat(r.getBody().toString()).contains("settings.sellerId").contains("settings.region")
                .contains("settings.colour").contains("credentials.clientSecret").contains("credentials.refreshToken")
                .contains("baseUrl").contains("pollInterval");
        ResponseEntity<JsonNode> unknown = api.admin().post().uri("/api/v1/connections")
                .body(Map.of("type", "etsy")).retrieve().toEntity(JsonNode.class);
        assertThat(unknown.getStatusCode().value()).isEqualTo(400);
        assertThat(count("connections")).isZero();
    }

    @Test
    void allowsOneConnectionPerSellerAccountAndMarketplace() {
        assertThat(api.admin().post().uri("/api/v1/connections").body(amazonBody("A2SELLER", "ATVPDKIKX0DER"))
                .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(201);
        assertThat(api.admin().post().uri("/api/v1/connections").body(amazonBody("A2SELLER", "A1VC38T7YXB528"))
                .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(201); // JP: another marketplace
        assertThat(api.admin().post().uri("/api/v1/connections").body(amazonBody("A2SELLER", "ATVPDKIKX0DER"))
                .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(409);
    }

    @Test
    void enablesDisablesAndSyncsAsAJobWithStatus() {
        wm.stubFor(post(urlPathEqualTo("/auth/o2/token")).willReturn(okJson(AmazonStubs.lwaToken("Atza|t", 3600))));
        Instant placed = Instant.parse("2025-06-02T10:00:00Z");
        wm.stubFor(get(urlPathEqualTo("/orders/v0/orders")).willReturn(okJson(AmazonStubs.ordersPage(List.of(
                AmazonStubs.order("114-0000001-0000001", placed, placed, "Unshipped", "9.99", "USD", null, null, "US")),
                null, null))));
        wm.stubFor(get(urlPathMatching("/orders/v0/orders/.+/orderItems"))
                .willReturn(okJson(AmazonStubs.items("114-0000001-0000001", "S-1", 1, "9.99", "USD"))));
        String id = connect("amazon", Map.of("sellerId", "A2SELLER", "marketplaceId", AmazonStubs.MARKETPLACE),
                Map.of("clientId", "c", "clientSecret", "s", "refreshToken", "Atzr|refresh"),
                Instant.parse("2025-06-01T00:00:00Z"));

        JsonNode disabled = api.admin().post().uri("/api/v1/connections/{id}/disable", id).retrieve().body(JsonNode.class);
        assertThat(disabled.get("status").get("state").asString()).isEqualTo("disabled");
        assertThat(disabled.get("status").get("nextRunAt").isNull()).isTrue();
        assertThat(api.admin().post().uri("/api/v1/connections/{id}/sync", id).retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(409);

        api.admin().post().uri("/api/v1/connections/{id}/enable", id).retrieve().toBodilessEntity();
        ResponseEntity<JsonNode> started = api.admin().post().uri("/api/v1/connections/{id}/sync", id).retrieve()
                .toEntity(JsonNode.class);
        assertThat(started.getStatusCode().value()).isEqualTo(202);
        JsonNode job = api.awaitJson(api.admin(), "/api/v1/connections/sync-jobs/" + started.getBody().get("jobId").asString(),
                j -> j.get("state").asString().equals("SUCCEEDED") || j.get("state").asString().equals("FAILED"),
                Duration.ofSeconds(20));
        assertThat(job.get("state").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
        assertThat(job.get("counters").get("orders").asLong()).isEqualTo(1);

        JsonNode status = api.admin().get().uri("/api/v1/connections/{id}/status", id).retrieve().body(JsonNode.class);
        assertThat(status.get("lastSyncAt").isNull()).isFalse();
        assertThat(status.get("errorCount").asLong()).isZero();
        assertThat(Instant.parse(status.get("nextRunAt").asString())).isAfter(Instant.now().plus(Duration.ofMinutes(10)));
        // a guest order (no buyer information role): stored without a customer
        assertThat(count("orders")).isEqualTo(1);
        assertThat(count("customers")).isZero();
    }

    @Test
    void onlyAdminsChangeConnections() {
        api.admin().post().uri("/api/v1/users")
                .body(Map.of("username", "connector-analyst", "password", "analyst-password-1", "roles", List.of("ANALYST")))
                .retrieve().toBodilessEntity();
        assertThat(api.as("connector-analyst", "analyst-password-1").get().uri("/api/v1/connections").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(200);
        assertThat(api.as("connector-analyst", "analyst-password-1").post().uri("/api/v1/connections")
                .body(amazonBody("A2", "ATVPDKIKX0DER")).retrieve().toBodilessEntity().getStatusCode().value())
                .isEqualTo(403);
        assertThat(api.anonymous().get().uri("/api/v1/connections").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(401);
    }
}
