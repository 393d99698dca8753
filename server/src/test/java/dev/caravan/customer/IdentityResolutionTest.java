package dev.caravan.customer;

import static dev.caravan.test.Events.customer;
import static dev.caravan.test.Events.map;
import static dev.caravan.test.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.caravan.test.CaravanTest;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

@CaravanTest
class IdentityResolutionTest {

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
    void sameEmailOnTwoPlatformsIsOneCustomer() {
        JsonNode r = send(order("e1", "2026-01-05T10:00:00Z",
                        customer("platform", "shopify", "storeId", "eu", "buyerId", "7001", "email", "Ann@Example.com"),
                        "S-1", "50.00", "USD"),
                order("e2", "2026-02-05T10:00:00Z",
                        customer("platform", "ebay", "buyerId", "ann_e", "email", "ann@example.com"), "E-1", "30.00", "USD"));
        assertThat(r.get("results").get(0).get("customerId").asString())
                .isEqualTo(r.get("results").get(1).get("customerId").asString());

        JsonNode found = search("identity=ebay:ann_e");
        assertThat(found.get("totalElements").asLong()).isEqualTo(1);
        JsonNode c = found.get("content").get(0);
        assertThat(c.get("emails")).hasSize(1);
        assertThat(c.get("identities")).hasSize(2);
        assertThat(c.get("metrics").get("orderCount").asLong()).isEqualTo(2);
        assertThat(c.get("metrics").get("totalSpend").decimalValue()).isEqualByComparingTo("80.00");
    }

    @Test
    void samePhoneInDifferentNotationsMerges() {
        send(order("p1", "2026-01-05T10:00:00Z",
                customer("platform", "aliexpress", "buyerId", "cn1", "phone", "+65 9123 4567"), "A-1", "10", "USD"));
        send(order("p2", "2026-01-06T10:00:00Z",
                customer("platform", "shopify", "storeId", "asia", "buyerId", "9001", "phone", "9123 4567",
                        "country", "SG"), "S-9", "20", "USD"));
        JsonNode all = search("");
        assertThat(all.get("totalElements").asLong()).isEqualTo(1);
        assertThat(all.get("content").get(0).get("phones").get(0).asString()).isEqualTo("+6591234567");
    }

    @Test
    void relayEmailRecognisesItsBuyerButNeverMergesTwoPeople() {
        String relay = "k3j5h2@marketplace.amazon.de";
        JsonNode first = send(order("r1", "2026-01-05T10:00:00Z",
                customer("platform", "amazon", "buyerId", "A1", "email", relay), "302-1", "10", "EUR"));
        // The same relay address on a record without the buyer id finds that buyer.
        JsonNode again = send(map("eventId", "r2", "type", "inquiry", "occurredAt", "2026-01-06T10:00:00Z",
                "customer", customer("email", relay), "properties", map("text", "Where is my parcel?")));
        assertThat(again.get("results").get(0).get("customerId").asString())
                .isEqualTo(first.get("results").get(0).get("customerId").asString());
        // A different buyer id with the same relay address stays a different customer.
        send(order("r3", "2026-01-07T10:00:00Z",
                customer("platform", "amazon", "buyerId", "A2", "email", relay), "302-2", "10", "EUR"));
        assertThat(search("").get("totalElements").asLong()).isEqualTo(2);
        // A relay address is not a contact e-mail.
        JsonNode a1 = search("identity=amazon:A1").get("content").get(0);
        assertThat(a1.get("emails")).isEmpty();
        assertThat(a1.get("identities").get(0).get("email").asString()).isEqualTo(relay);
    }

    @Test
    void recordLinkingTwoKnownCustomersMergesThemAndUnmergeRestoresBoth() {
        JsonNode a = send(order("m1", "2026-01-05T10:00:00Z",
                customer("platform", "shopify", "storeId", "eu", "buyerId", "1", "email", "mia@example.com"),
                "S-1", "100", "USD"));
        JsonNode b = send(order("m2", "2026-01-06T10:00:00Z",
                customer("platform", "ebay", "buyerId", "mia_e", "phone", "+4915123456789"), "E-1", "40", "USD"));
        String older = a.get("results").get(0).get("customerId").asString();
        String younger = b.get("results").get(0).get("customerId").asString();
        assertThat(older).isNotEqualTo(younger);

        // An Amazon order carries both the e-mail and the phone: one person after all.
        JsonNode link = send(order("m3", "2026-01-07T10:00:00Z",
                customer("platform", "amazon", "buyerId", "AMIA", "email", "mia@example.com", "phone", "+49 151 23456789"),
                "302-7", "60", "USD"));
        assertThat(link.get("results").get(0).get("customerId").asString()).isEqualTo(older);
        assertThat(search("").get("totalElements").asLong()).isEqualTo(1);
        JsonNode merged = view(older);
        assertThat(merged.get("orders").get("total").asLong()).isEqualTo(3);
        assertThat(merged.get("customer").get("metrics").get("totalSpend").decimalValue()).isEqualByComparingTo("200");
        ResponseEntity<JsonNode> gone = admin.get().uri("/api/v1/customers/" + younger).retrieve().toEntity(JsonNode.class);
        assertThat(gone.getStatusCode().value()).isEqualTo(404);
        assertThat(gone.getBody().get("detail").asString()).contains("merged into customer " + older);

        JsonNode undone = admin.post().uri("/api/v1/customers/" + older + "/unmerge").retrieve().body(JsonNode.class);
        assertThat(undone).hasSize(1);
        assertThat(search("").get("totalElements").asLong()).isEqualTo(2);
        JsonNode restored = view(younger);
        assertThat(restored.get("orders").get("total").asLong()).isEqualTo(1);
        assertThat(restored.get("customer").get("phones").get(0).asString()).isEqualTo("+4915123456789");
        assertThat(restored.get("customer").get("metrics").get("totalSpend").decimalValue()).isEqualByComparingTo("40");
        JsonNode survivor = view(older);
        assertThat(survivor.get("orders").get("total").asLong()).isEqualTo(2);
        // The phone came with the absorbed customer and went back with it; the lookup follows.
        assertThat(searchText("+4915123456789").get("content").get(0).get("id").asString()).isEqualTo(younger);
    }

    @Test
    void manualMergeAndUnmergeOfOneMerge() {
        String x = send(order("x1", "2026-03-01T10:00:00Z", customer("email", "x@example.com"), "X-1", "5", "USD"))
                .get("results").get(0).get("customerId").asString();
        String y = send(order("y1", "2026-03-02T10:00:00Z", customer("email", "y@example.com"), "Y-1", "7", "USD"))
                .get("results").get(0).get("customerId").asString();
        JsonNode merge = admin.post().uri("/api/v1/customers/" + x + "/merge").body(map("otherId", y))
                .retrieve().body(JsonNode.class);
        assertThat(merge.get("absorbedId").asString()).isEqualTo(y);
        // New orders for y's e-mail now land on x ...
        String z = send(order("y2", "2026-03-03T10:00:00Z", customer("email", "y@example.com"), "Y-2", "3", "USD"))
                .get("results").get(0).get("customerId").asString();
        assertThat(z).isEqualTo(x);
        // ... and go back to y with the unmerge, because they arrived with y's identity.
        admin.post().uri("/api/v1/customers/" + x + "/unmerge").body(map("mergeId", merge.get("id").asString()))
                .retrieve().toBodilessEntity();
        assertThat(view(y).get("orders").get("total").asLong()).isEqualTo(2);
        assertThat(view(x).get("orders").get("total").asLong()).isEqualTo(1);
    }

    private JsonNode send(Map<String, Object>... events) {
        return admin.post().uri("/api/v1/events").body(List.of(events)).retrieve().body(JsonNode.class);
    }

    private JsonNode search(String query) {
        return admin.get().uri("/api/v1/customers?" + query).retrieve().body(JsonNode.class);
    }

    private JsonNode searchText(String q) {
        return admin.get().uri(b -> b.path("/api/v1/customers").queryParam("q", "{q}").build(Map.of("q", q)))
                .retrieve().body(JsonNode.class);
    }

    private JsonNode view(String id) {
        return admin.get().uri("/api/v1/customers/" + id).retrieve().body(JsonNode.class);
    }
}
