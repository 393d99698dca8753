package dev.caravan.customer;

import static dev.caravan.test.Events.customer;
import static dev.caravan.test.Events.map;
import static dev.caravan.test.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.caravan.test.CaravanTest;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

@CaravanTest
class CustomerApiTest {

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;
    @Autowired
    CustomerMetricsService metrics;

    RestClient admin;
    String ann;

    @BeforeEach
    void setUp() {
        store.clear();
        admin = api.admin();
        JsonNode r = admin.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON).body(List.of(
                order("c-1", "2026-01-01T10:00:00Z", customer("email", "ann@example.com", "name", "Ann Lee", "country", "DE"),
                        "1", "10", "EUR"),
                order("c-2", "2026-01-02T10:00:00Z", customer("email", "bob@example.com", "name", "Bob Stone", "country", "FR"),
                        "2", "20", "EUR"),
                order("c-3", "2026-01-03T10:00:00Z", customer("email", "cid@example.com", "name", "Cid <script>alert(1)</script>",
                        "country", "DE"), "3", "30", "EUR")))
                .retrieve().body(JsonNode.class);
        ann = r.get("results").get(0).get("customerId").asString();
    }

    @Test
    void searchFiltersAndPages() {
        JsonNode de = admin.get().uri("/api/v1/customers?country=de&size=1&page=1").retrieve().body(JsonNode.class);
        assertThat(de.get("totalElements").asLong()).isEqualTo(2);
        assertThat(de.get("totalPages").asInt()).isEqualTo(2);
        assertThat(de.get("content")).hasSize(1);
        assertThat(admin.get().uri("/api/v1/customers?q=stone").retrieve().body(JsonNode.class)
                .get("content").get(0).get("name").asString()).isEqualTo("Bob Stone");
        // Search text is a literal, not a regular expression.
        assertThat(admin.get().uri("/api/v1/customers?q=.*").retrieve().body(JsonNode.class)
                .get("totalElements").asLong()).isZero();
        assertThat(admin.get().uri("/api/v1/customers?size=0").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(400);
        assertThat(admin.get().uri("/api/v1/customers?identity=nocolon").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(400);
    }

    @Test
    void patchValidatesEverythingBeforeChangingAnything() {
        ResponseEntity<JsonNode> bad = admin.patch().uri("/api/v1/customers/" + ann).contentType(MediaType.APPLICATION_JSON)
                .body(map("displayName", "Changed", "timezone", "Nowhere/Land", "phones", List.of("+49 151 23456789", "12")))
                .retrieve().toEntity(JsonNode.class);
        assertThat(bad.getStatusCode().value()).isEqualTo(400);
        assertThat(bad.getBody().get("errors").valueStream().map(e -> e.get("field").asString()))
                .containsExactlyInAnyOrder("timezone", "phones[1]");
        assertThat(view(ann).get("displayName").asString()).isEqualTo("Ann Lee");

        JsonNode ok = admin.patch().uri("/api/v1/customers/" + ann).contentType(MediaType.APPLICATION_JSON)
                .body(map("displayName", "Ann Li", "emails", List.of("ann.li@example.com"), "language", "zh-CN"))
                .retrieve().body(JsonNode.class);
        assertThat(ok.get("displayName").asString()).isEqualTo("Ann Li");
        // The identity keys follow the e-mail change.
        assertThat(admin.get().uri("/api/v1/customers?q=ann.li@example.com").retrieve().body(JsonNode.class)
                .get("totalElements").asLong()).isEqualTo(1);
        assertThat(admin.get().uri("/api/v1/customers?q=ann@example.com").retrieve().body(JsonNode.class)
                .get("totalElements").asLong()).isZero();
        // Taking another customer's e-mail is a conflict: merge instead.
        assertThat(admin.patch().uri("/api/v1/customers/" + ann).contentType(MediaType.APPLICATION_JSON)
                .body(map("emails", List.of("bob@example.com"))).retrieve().toBodilessEntity().getStatusCode().value())
                .isEqualTo(409);
    }

    @Test
    void unknownCustomerIs404() {
        ResponseEntity<JsonNode> r = admin.get().uri("/api/v1/customers/nope").retrieve().toEntity(JsonNode.class);
        assertThat(r.getStatusCode().value()).isEqualTo(404);
        assertThat(r.getBody().get("detail").asString()).isEqualTo("customer nope not found");
    }

    @Test
    void exportStreamsCsvAndJsonLinesWithTheListFilters() {
        String csv = admin.get().uri("/api/v1/customers/export?format=csv&country=DE").retrieve().body(String.class);
        assertThat(csv.lines()).hasSize(3);
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("id,name,emails,phones,country");
        assertThat(csv).contains("Cid <script>alert(1)</script>");
        String jsonl = admin.get().uri("/api/v1/customers/export?format=jsonl").retrieve().body(String.class);
        assertThat(jsonl.lines()).hasSize(3).allSatisfy(line -> assertThat(line).startsWith("{\"id\""));
        assertThat(admin.get().uri("/api/v1/customers/export?format=xml").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(400);
    }

    @Test
    void nightlyRecomputationRepairsDriftedMetrics() {
        store.mongo().getCollection("customers").updateOne(new Document("_id", ann),
                new Document("$set", new Document("metrics.orderCount", 7L)));
        assertThat(metrics.recomputeAll()).isEqualTo(1);
        assertThat(view(ann).get("metrics").get("orderCount").asLong()).isEqualTo(1);
    }

    private JsonNode view(String id) {
        return admin.get().uri("/api/v1/customers/" + id).retrieve().body(JsonNode.class).get("customer");
    }
}
