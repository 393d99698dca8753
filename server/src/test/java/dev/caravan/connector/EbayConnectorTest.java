package dev.caravan.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.caravan.order.Order;
import dev.caravan.order.ReturnRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

@ConnectorTest
class EbayConnectorTest extends ConnectorTestBase {

    static final String PATH = "/sell/fulfillment/v1/order";

    static ObjectNode order(int n) {
        Instant created = Instant.parse("2025-07-01T08:00:00Z").plusSeconds(3600L * n);
        return EbayStubs.order("12-0000" + n + "-0000" + n, created, created.plusSeconds(900),
                n % 2 == 0 ? "FULFILLED" : "NOT_STARTED", "PAID", "buyer_" + n, "buyer" + n + "@example.de",
                "+49 30 901820" + n, "DE", "19.99", 1 + n % 3, "EUR");
    }

    static List<ObjectNode> orders(int from, int to) {
        List<ObjectNode> list = new ArrayList<>();
        for (int n = from; n <= to; n++) list.add(order(n));
        return list;
    }

    @Test
    void pagesByOffsetRefreshesTheUserTokenAndStoresRefunds() {
        wm.stubFor(post(urlPathEqualTo("/identity/v1/oauth2/token")).inScenario("oauth")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(okJson(EbayStubs.token("v^1.1#old", 7200)))
                .willSetStateTo("second"));
        wm.stubFor(post(urlPathEqualTo("/identity/v1/oauth2/token")).inScenario("oauth")
                .whenScenarioStateIs("second").willReturn(okJson(EbayStubs.token("v^1.1#new", 7200))));
        List<ObjectNode> page3 = orders(5, 5);
        EbayStubs.refund(page3.get(0), "R-5", "10.00", "EUR", Instant.parse("2025-07-03T10:00:00Z"));
        wm.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("offset", equalTo("0"))
                .willReturn(okJson(EbayStubs.page(PATH, orders(1, 2), 0, 2, 5, PATH + "?offset=2&limit=2"))));
        wm.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("offset", equalTo("2"))
                .withHeader("Authorization", equalTo("Bearer v^1.1#old"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"errors\":[{\"errorId\":1001,\"domain\":\"OAuth\",\"category\":\"REQUEST\","
                                + "\"message\":\"Invalid access token\"}]}")));
        wm.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("offset", equalTo("2"))
                .withHeader("Authorization", equalTo("Bearer v^1.1#new"))
                .willReturn(okJson(EbayStubs.page(PATH, orders(3, 4), 2, 2, 5, PATH + "?offset=4&limit=2"))));
        wm.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("offset", equalTo("4"))
                .willReturn(okJson(EbayStubs.page(PATH, page3, 4, 2, 5, null))));
        String id = connect("ebay", Map.of("sellerId", "caravan_seller", "pageSize", "2"),
                Map.of("clientId", "Caravan-app-PRD", "clientSecret", "PRD-secret", "refreshToken", "v^1.1#refresh"),
                Instant.parse("2025-06-01T00:00:00Z"));

        SyncService.RunReport report = syncs.syncNow(id);

        assertThat(report.error()).isNull();
        assertThat(count("orders")).isEqualTo(5);
        Order o2 = mongo.findById("ebay/caravan_seller/12-00002-00002", Order.class);
        assertThat(o2.status()).isEqualTo("shipped");
        assertThat(o2.currency()).isEqualTo("EUR");
        assertThat(o2.lines()).singleElement().satisfies(l -> {
            assertThat(l.quantity()).isEqualTo(3);
            assertThat(l.unitPrice()).isEqualByComparingTo("19.99");
        });
        ReturnRecord refund = mongo.findById("ebay/caravan_seller/12-00005-00005#R-5", ReturnRecord.class);
        assertThat(refund).isNotNull();
        assertThat(refund.amount()).isEqualByComparingTo("10.00");
        assertThat(count("customers")).isEqualTo(5);
        assertThat(mongo.getCollection("identity_keys").countDocuments(
                new org.bson.Document("_id", "buyer:ebay:buyer_1"))).isEqualTo(1);

        List<LoggedRequest> first = wm.findAll(getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("offset", equalTo("0")));
        assertThat(first.get(0).queryParameter("filter").firstValue())
                .startsWith("lastmodifieddate:[2025-06-01T00:00:00.000Z..").endsWith("]");
        assertThat(first.get(0).queryParameter("limit").firstValue()).isEqualTo("2");
        wm.verify(2, postRequestedFor(urlPathEqualTo("/identity/v1/oauth2/token"))
                .withHeader("Authorization", containing("Basic "))
                .withRequestBody(containing("grant_type=refresh_token")));
        assertThat(connection(id).get("status").get("ordersSynced").asLong()).isEqualTo(5);
    }

    @Test
    void readsTheWindowAgainWhenOrdersLeaveItWhilePaging() {
        wm.stubFor(post(urlPathEqualTo("/identity/v1/oauth2/token")).willReturn(okJson(EbayStubs.token("t", 7200))));
        // first pass: total 4; by the second page one order was modified again and left the window: total 3
        wm.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("offset", equalTo("0")).inScenario("shrink")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(EbayStubs.page(PATH, orders(1, 2), 0, 2, 4, PATH + "?offset=2")))
                .willSetStateTo("shrunk"));
        wm.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("offset", equalTo("2")).inScenario("shrink")
                .whenScenarioStateIs("shrunk")
                .willReturn(okJson(EbayStubs.page(PATH, orders(4, 4), 2, 2, 3, null)))
                .willSetStateTo("reread"));
        wm.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("offset", equalTo("0")).inScenario("shrink")
                .whenScenarioStateIs("reread")
                .willReturn(okJson(EbayStubs.page(PATH, List.of(order(1), order(3)), 0, 2, 3, PATH + "?offset=2"))));
        wm.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("offset", equalTo("2")).inScenario("shrink")
                .whenScenarioStateIs("reread")
                .willReturn(okJson(EbayStubs.page(PATH, orders(4, 4), 2, 2, 3, null))));
        String id = connect("ebay", Map.of("sellerId", "caravan_seller", "pageSize", "2"),
                Map.of("clientId", "c", "clientSecret", "s", "refreshToken", "r"), Instant.parse("2025-06-01T00:00:00Z"));

        assertThat(syncs.syncNow(id).error()).isNull();

        // order 3 had slid from offset 2 to 1 and would have been missed without the re-read
        assertThat(mongo.findById("ebay/caravan_seller/12-00003-00003", Order.class)).isNotNull();
        assertThat(count("orders")).isEqualTo(4);
    }
}
