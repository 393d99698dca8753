package dev.caravan.security;

import static dev.caravan.test.Events.customer;
import static dev.caravan.test.Events.map;
import static dev.caravan.test.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.caravan.test.CaravanTest;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

@CaravanTest
class AccessControlTest {

    static final String PASSWORD = "a-long-test-password";

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;

    @BeforeEach
    void setUp() {
        store.clear();
        for (Role role : Role.values()) {
            String name = role.name().toLowerCase();
            api.admin().delete().uri("/api/v1/users/" + name).retrieve().toBodilessEntity();
            if (role != Role.ADMIN) {
                api.admin().post().uri("/api/v1/users")
                        .body(map("username", name, "password", PASSWORD, "roles", List.of(role.name())))
                        .retrieve().toBodilessEntity();
            }
        }
    }

    /** Every operation in the OpenAPI document, except the public ones, refuses anonymous callers with 401. */
    @Test
    void everyDocumentedEndpointNeedsAuthentication() {
        JsonNode paths = api.admin().get().uri("/v3/api-docs").retrieve().body(JsonNode.class).get("paths");
        List<String> checked = new ArrayList<>();
        for (String path : paths.propertyNames()) {
            if (path.startsWith("/u/") || path.startsWith("/webhooks/") || path.startsWith("/t/")) continue;
            for (String method : paths.get(path).propertyNames()) {
                String concrete = path.replaceAll("\\{[^}]+}", "x");
                int status = api.anonymous().method(HttpMethod.valueOf(method.toUpperCase())).uri(concrete)
                        .contentType(MediaType.APPLICATION_JSON).body("{}").retrieve().toBodilessEntity()
                        .getStatusCode().value();
                assertThat(status).as(method + " " + path).isEqualTo(401);
                checked.add(method + " " + path);
            }
        }
        assertThat(checked).contains("post /api/v1/events", "get /api/v1/customers", "post /api/v1/imports",
                "get /api/v1/customers/export", "post /api/v1/users");
    }

    @Test
    void healthIsPublicButDocsAreNot() {
        assertThat(status(api.anonymous(), HttpMethod.GET, "/actuator/health")).isEqualTo(200);
        assertThat(status(api.anonymous(), HttpMethod.GET, "/v3/api-docs")).isEqualTo(401);
        assertThat(status(api.as("admin", "wrong-password"), HttpMethod.GET, "/api/v1/customers")).isEqualTo(401);
    }

    @Test
    void rolesSeeOnlyWhatTheyMay() {
        Map<String, Set<Role>> allowed = Map.of(
                "GET /api/v1/customers", Set.of(Role.ADMIN, Role.MARKETER, Role.ANALYST, Role.SUPPORT),
                "GET /api/v1/customers/export", Set.of(Role.ADMIN),
                "GET /api/v1/imports", Set.of(Role.ADMIN, Role.MARKETER, Role.INGEST),
                "GET /api/v1/users", Set.of(Role.ADMIN),
                "GET /api/v1/api-keys", Set.of(Role.ADMIN),
                "GET /api/v1/rates", Set.of(Role.values()));
        allowed.forEach((endpoint, roles) -> {
            String[] parts = endpoint.split(" ");
            for (Role role : Role.values()) {
                RestClient client = role == Role.ADMIN ? api.admin() : api.as(role.name().toLowerCase(), PASSWORD);
                int status = status(client, HttpMethod.valueOf(parts[0]), parts[1]);
                if (roles.contains(role)) {
                    assertThat(status).as(role + " " + endpoint).isEqualTo(200);
                } else {
                    assertThat(status).as(role + " " + endpoint).isEqualTo(403);
                }
            }
        });
    }

    @Test
    void apiKeysIngestButCannotRead() {
        JsonNode created = api.admin().post().uri("/api/v1/api-keys").body(map("name", "shop-1"))
                .retrieve().body(JsonNode.class);
        String key = created.get("key").asString();
        assertThat(created.get("roles").get(0).asString()).isEqualTo("INGEST");
        RestClient machine = api.withApiKey(key);
        int posted = machine.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON)
                .body(List.of(order("k-1", "2026-01-01T00:00:00Z", customer("email", "k@example.com"), "K-1", "1", "USD")))
                .retrieve().toBodilessEntity().getStatusCode().value();
        assertThat(posted).isEqualTo(200);
        assertThat(status(machine, HttpMethod.GET, "/api/v1/customers")).isEqualTo(403);
        assertThat(status(api.withApiKey(key + "x"), HttpMethod.GET, "/api/v1/imports")).isEqualTo(401);
        // Keys are listed without their secret and can be revoked.
        JsonNode list = api.admin().get().uri("/api/v1/api-keys").retrieve().body(JsonNode.class);
        assertThat(list.toString()).doesNotContain(key.substring(key.lastIndexOf('_') + 1));
        api.admin().delete().uri("/api/v1/api-keys/" + created.get("id").asString()).retrieve().toBodilessEntity();
        assertThat(status(machine, HttpMethod.GET, "/api/v1/imports")).isEqualTo(401);
    }

    private static int status(RestClient client, HttpMethod method, String path) {
        return client.method(method).uri(path).retrieve().toBodilessEntity().getStatusCode().value();
    }
}
