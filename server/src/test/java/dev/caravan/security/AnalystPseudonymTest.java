package dev.caravan.security;

import static dev.caravan.test.Events.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.caravan.test.CaravanTest;
import dev.caravan.test.Events;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** ANALYST sees customers only pseudonymised; other roles see them as stored. */
@CaravanTest
class AnalystPseudonymTest {

    static final String EMAIL = "anna.mueller@example.de";
    static final String PHONE = "+4915123456789";

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;

    String customerId;

    @BeforeEach
    void setUp() {
        store.clear();
        Map<String, Object> customer = Events.customer("email", EMAIL, "phone", "+49 151 23456789", "name", "Anna Mueller",
                "country", "DE");
        JsonNode r = api.admin().post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON)
                .body(List.of(Events.order("p-1", "2026-01-01T00:00:00Z", customer, "P-1", "50", "EUR")))
                .retrieve().body(JsonNode.class);
        customerId = r.get("results").get(0).get("customerId").asString();
    }

    @Test
    void analystGetsPseudonymsInListsProfilesAndTimelines() {
        RestClient analyst = client("ANALYST");
        String list = analyst.get().uri("/api/v1/customers").retrieve().body(String.class);
        String byEmail = analyst.get().uri("/api/v1/customers?q={q}", EMAIL).retrieve().body(String.class);
        String profile = analyst.get().uri("/api/v1/customers/" + customerId).retrieve().body(String.class);
        String timeline = analyst.get().uri("/api/v1/customers/" + customerId + "/timeline").retrieve().body(String.class);
        for (String body : List.of(list, byEmail, profile, timeline)) {
            assertThat(body).doesNotContainIgnoringCase(EMAIL).doesNotContain(PHONE).doesNotContain("Anna")
                    .doesNotContain("Mueller").doesNotContain("151 23456789");
        }
        assertThat(list).contains(customerId).contains("\"DE\"").contains("anon-");
        // the same value has the same pseudonym everywhere: lists still join
        assertThat(pseudonymOfFirstEmail(list)).isEqualTo(pseudonymOfFirstEmail(profile)).startsWith("anon-");
        JsonNode page = new tools.jackson.databind.json.JsonMapper().readTree(list);
        JsonNode c = page.get("content").get(0);
        assertThat(c.get("metrics").get("orderCount").asLong()).isEqualTo(1);
        assertThat(c.get("metrics").get("totalSpend").decimalValue()).isPositive();
    }

    @Test
    void otherRolesAndMixedRolesSeeContactData() {
        for (String roles : List.of("MARKETER", "SUPPORT", "ADMIN", "ANALYST,SUPPORT")) {
            String profile = client(roles.split(",")).get().uri("/api/v1/customers/" + customerId).retrieve().body(String.class);
            assertThat(profile).as(roles).contains(EMAIL).contains(PHONE).contains("Anna");
        }
    }

    @Test
    void analystStillSeesRealTemplateNamesAndReports() {
        RestClient analyst = client("ANALYST");
        assertThat(analyst.get().uri("/api/v1/messages/templates").retrieve().body(String.class)).contains("order_confirmation");
        assertThat(analyst.get().uri("/api/v1/analytics/tiers").retrieve().toBodilessEntity().getStatusCode().value())
                .isEqualTo(200);
    }

    private RestClient client(String... roles) {
        JsonNode created = api.admin().post().uri("/api/v1/api-keys")
                .body(map("name", "pseudonym-" + String.join("-", roles).toLowerCase(), "roles", List.of(roles)))
                .retrieve().body(JsonNode.class);
        return api.withApiKey(created.get("key").asString());
    }

    private static String pseudonymOfFirstEmail(String json) {
        Matcher m = Pattern.compile("\"emails\":\\[\"(anon-[0-9a-f]{12})\"").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return m.group(1);
    }
}
