package dev.caravan.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.caravan.order.Order;
import dev.caravan.order.OrderPlaced;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

@ConnectorTest
@RecordApplicationEvents
class AmazonConnectorTest extends ConnectorTestBase {

    static final Instant SYNC_FROM = Instant.parse("2025-06-01T00:00:00Z");
    static final String ORDERS = "/orders/v0/orders";

    @Autowired
    ApplicationEvents events;
    @Autowired
    dev.caravan.common.CaravanProperties caravan;

    static String orderId(int n) {
        return String.format("111-%07d-%07d", n, n);
    }

    static ObjectNode order(int n, String status) {
        Instant placed = Instant.parse("2025-06-10T10:00:00Z").plusSeconds(3600L * n);
        return AmazonStubs.order(orderId(n), placed, placed.plusSeconds(600), status, (10 + n) + ".50", "USD",
                "buyer" + n + "@marketplace.amazon.com", String.format("+1 212-736-%04d", 1000 + n), "US");
    }

    /** Three pages of two orders each, linked by NextToken, and each order's items. */
    void stubThreePages() {
        wm.stubFor(get(urlPathEqualTo(ORDERS)).withQueryParam("NextToken", absent())
                .willReturn(okJson(AmazonStubs.ordersPage(List.of(order(1, "Shipped"), order(2, "Unshipped")), "p2", null))
                        .withHeader("x-amzn-RateLimit-Limit", "0.0167")));
        wm.stubFor(get(urlPathEqualTo(ORDERS)).withQueryParam("NextToken", equalTo("p2"))
                .willReturn(okJson(AmazonStubs.ordersPage(List.of(order(3, "Canceled"), order(4, "Pending")), "p3", null))));
        wm.stubFor(get(urlPathEqualTo(ORDERS)).withQueryParam("NextToken", equalTo("p3"))
                .willReturn(okJson(AmazonStubs.ordersPage(List.of(order(5, "Shipped"), order(6, "Shipped")), null, null))));
        for (int n = 1; n <= 6; n++) {
            wm.stubFor(get(urlPathEqualTo(ORDERS + "/" + orderId(n) + "/orderItems"))
                    .willReturn(okJson(AmazonStubs.items(orderId(n), "SKU-" + n, 2, (10 + n) + ".50", "USD"))));
        }
    }

    void stubToken(String token) {
        wm.stubFor(post(urlPathEqualTo("/auth/o2/token")).willReturn(okJson(AmazonStubs.lwaToken(token, 3600))));
    }

    String connectAmazon() {
        return connect("amazon", Map.of("sellerId", "A2SELLER", "marketplaceId", AmazonStubs.MARKETPLACE),
                Map.of("clientId", "amzn1.application-oa2-client.test", "clientSecret", "lwa-secret",
                        "refreshToken", "Atzr|refresh"), SYNC_FROM);
    }

    @Test
    void pollsEveryPageWithItemsAndResumesFromTheWindowEnd() {
        stubToken("Atza|first");
        stubThreePages();
        String id = connectAmazon();

        SyncService.RunReport report = syncs.syncNow(id);

        assertThat(report.error()).isNull();
        assertThat(report.orders()).isEqualTo(6);
        assertThat(count("orders")).isEqualTo(6);
        Order shipped = mongo.findById("amazon/" + AmazonStubs.MARKETPLACE + "/" + orderId(1), Order.class);
        assertThat(shipped.status()).isEqualTo("shipped");
        assertThat(shipped.currency()).isEqualTo("USD");
        assertThat(shipped.total()).isEqualByComparingTo("11.50");
        assertThat(shipped.lines()).singleElement().satisfies(l -> {
            assertThat(l.sku()).isEqualTo("SKU-1");
            assertThat(l.quantity()).isEqualTo(2);
            assertThat(l.unitPrice()).isEqualByComparingTo("5.75"); // ItemPrice covers both units
        });
        assertThat(shipped.customerId()).isNotNull();
        assertThat(mongo.findById("amazon/" + AmazonStubs.MARKETPLACE + "/" + orderId(3), Order.class).status())
                .isEqualTo("cancelled");
        assertThat(count("customers")).isEqualTo(6);
        assertThat(mongo.getCollection("identity_keys").countDocuments(new Document("_id",
                normalizer.emailKey("buyer1@marketplace.amazon.com")))).isEqualTo(1);

        List<LoggedRequest> pages = wm.findAll(getRequestedFor(urlPathEqualTo(ORDERS)));
        assertThat(pages).hasSize(3);
        LoggedRequest first = pages.get(0);
        assertThat(first.queryParameter("MarketplaceIds").firstValue()).isEqualTo(AmazonStubs.MARKETPLACE);
        assertThat(first.queryParameter("LastUpdatedAfter").firstValue()).isEqualTo("2025-06-01T00:00:00Z");
        assertThat(first.getHeader("x-amz-access-token")).isEqualTo("Atza|first");
        wm.verify(1, postRequestedFor(urlPathEqualTo("/auth/o2/token"))
                .withRequestBody(containing("grant_type=refresh_token"))
                .withRequestBody(containing("client_id=amzn1.application-oa2-client.test")));

        JsonNode status = connection(id).get("status");
        assertThat(status.get("state").asString()).isEqualTo("idle");
        assertThat(status.get("errorCount").asLong()).isZero();
        assertThat(status.get("ordersSynced").asLong()).isEqualTo(6);
        assertThat(status.get("lastSuccessAt").isNull()).isFalse();
        assertThat(status.get("nextRunAt").isNull()).isFalse();
        JsonNode cursor = status.get("cursors").get("orders");
        assertThat(cursor.get("page").isNull()).isTrue();
        String windowEnd = cursor.get("from").asString();
        assertThat(Instant.parse(windowEnd)).isBefore(Instant.now().minus(Duration.ofMinutes(1)));

        // the next run asks only for what changed after the window it finished
        wm.resetRequests();
        wm.stubFor(get(urlPathEqualTo(ORDERS)).withQueryParam("LastUpdatedAfter", equalTo(windowEnd.replaceAll("\\.\\d+Z$", "Z")))
                .willReturn(okJson(AmazonStubs.ordersPage(List.of(), null, null))));
        assertThat(syncs.syncNow(id).error()).isNull();
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo(ORDERS)))).hasSize(1);
        assertThat(count("orders")).isEqualTo(6);
    }

    @Test
    void refreshesAnAccessTokenThatExpiresMidSync() {
        wm.stubFor(post(urlPathEqualTo("/auth/o2/token")).inScenario("lwa").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(AmazonStubs.lwaToken("Atza|old", 3600))).willSetStateTo("issued"));
        wm.stubFor(post(urlPathEqualTo("/auth/o2/token")).inScenario("lwa").whenScenarioStateIs("issued")
                .willReturn(okJson(AmazonStubs.lwaToken("Atza|new", 3600))));
        stubThreePages();
        // page 2 with the old token: SP-API's answer to an expired token
        wm.stubFor(get(urlPathEqualTo(ORDERS)).withQueryParam("NextToken", equalTo("p2"))
                .withHeader("x-amz-access-token", equalTo("Atza|old"))
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody(AmazonStubs.error("Unauthorized", "The access token you provided has expired."))));
        String id = connectAmazon();

        SyncService.RunReport report = syncs.syncNow(id);

        assertThat(report.error()).isNull();
        assertThat(count("orders")).isEqualTo(6);
        wm.verify(2, postRequestedFor(urlPathEqualTo("/auth/o2/token")));
        List<LoggedRequest> page2 = wm.findAll(getRequestedFor(urlPathEqualTo(ORDERS)).withQueryParam("NextToken", equalTo("p2")));
        assertThat(page2).extracting(r -> r.getHeader("x-amz-access-token")).containsExactly("Atza|old", "Atza|new");
        assertThat(connection(id).get("status").get("errorCount").asLong()).isZero();
    }

    @Test
    void waitsOutA429WithRetryAfter() {
        stubToken("Atza|t");
        stubThreePages();
        wm.stubFor(get(urlPathEqualTo(ORDERS)).withQueryParam("NextToken", equalTo("p2")).inScenario("throttle")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withHeader("x-amzn-RateLimit-Limit", "2.0").withHeader("Content-Type", "application/json")
                        .withBody(AmazonStubs.error("QuotaExceeded", "You exceeded your quota for the requested resource.")))
                .willSetStateTo("calm"));
        wm.stubFor(get(urlPathEqualTo(ORDERS)).withQueryParam("NextToken", equalTo("p2")).inScenario("throttle")
                .whenScenarioStateIs("calm")
                .willReturn(okJson(AmazonStubs.ordersPage(List.of(order(3, "Canceled"), order(4, "Pending")), "p3", null))));
        String id = connectAmazon();

        SyncService.RunReport report = syncs.syncNow(id);

        assertThat(report.error()).isNull();
        assertThat(count("orders")).isEqualTo(6);
        List<LoggedRequest> page2 = wm.findAll(getRequestedFor(urlPathEqualTo(ORDERS)).withQueryParam("NextToken", equalTo("p2")));
        assertThat(page2).hasSize(2);
        long gapMs = page2.get(1).getLoggedDate().getTime() - page2.get(0).getLoggedDate().getTime();
        assertThat(gapMs).as("waited for Retry-After: 1").isGreaterThanOrEqualTo(950);
        assertThat(connection(id).get("status").get("errorCount").asLong()).isZero();
    }

    @Test
    void resumesAfterA500AndARestartWithoutDuplicates() {
        stubToken("Atza|t");
        stubThreePages();
        wm.stubFor(get(urlPathEqualTo(ORDERS)).withQueryParam("NextToken", equalTo("p3")).atPriority(1)
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody(AmazonStubs.error("InternalFailure", "We encountered an internal error."))));
        String id = connectAmazon();

        SyncService.RunReport failed = syncs.syncNow(id);

        assertThat(failed.error()).contains("HTTP 500");
        assertThat(count("orders")).isEqualTo(4);
        JsonNode status = connection(id).get("status");
        assertThat(status.get("state").asString()).isEqualTo("failed");
        assertThat(status.get("errorCount").asLong()).isEqualTo(1);
        assertThat(status.get("lastError").asString()).contains("HTTP 500");
        assertThat(status.get("cursors").get("orders").get("page").asString()).isEqualTo("p3");
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo(ORDERS)).withQueryParam("NextToken", equalTo("p3"))))
                .hasSize(4); // the configured attempts with backoff

        // a restart: nothing survives but the store (a crash would also have left this server's lease behind,
        // which a restarted server takes back at once); the platform has recovered
        assertThat(connections.claimNow(id, SyncService.ownerId(caravan))).isNotNull();
        assertThat(connection(id).get("status").get("state").asString()).isEqualTo("running");
        syncs.forgetRuntimeState();
        syncs.recoverAfterRestart();
        wm.removeStub(wm.getStubMappings().stream().filter(s -> s.getPriority() != null && s.getPriority() == 1)
                .findFirst().orElseThrow());

        SyncService.RunReport resumed = syncs.syncNow(id);

        assertThat(resumed.error()).isNull();
        assertThat(count("orders")).isEqualTo(6);
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo(ORDERS)).withQueryParam("NextToken", absent()))).hasSize(1);
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo(ORDERS)).withQueryParam("NextToken", equalTo("p2")))).hasSize(1);
        List<OrderPlaced> placed = events.stream(OrderPlaced.class).toList();
        assertThat(placed).hasSize(6);
        assertThat(placed).extracting(OrderPlaced::orderKey).doesNotHaveDuplicates();
        for (Document c : mongo.getCollection("customers").find()) {
            assertThat(((Number) ((Document) c.get("metrics")).get("orderCount")).longValue()).as("orders of %s", c.get("_id"))
                    .isLessThanOrEqualTo(1);
        }
        JsonNode after = connection(id).get("status");
        assertThat(after.get("state").asString()).isEqualTo("idle");
        assertThat(after.get("errorCount").asLong()).isEqualTo(1);
        assertThat(after.get("consecutiveFailures").asInt()).isZero();
    }

    @Test
    void skipsAndCountsMalformedOrdersAndGoesOn() {
        stubToken("Atza|t");
        stubThreePages();
        ObjectNode badDate = order(7, "Shipped");
        badDate.put("PurchaseDate", "yesterday");
        ObjectNode badAmount = order(8, "Shipped");
        ((ObjectNode) badAmount.get("OrderTotal")).put("Amount", "12,5x");
        List<ObjectNode> page2 = new ArrayList<>(List.of(order(3, "Canceled"), badDate, badAmount, order(4, "Pending")));
        wm.stubFor(get(urlPathEqualTo(ORDERS)).withQueryParam("NextToken", equalTo("p2"))
                .willReturn(okJson(AmazonStubs.ordersPage(page2, "p3", null))));
        String id = connectAmazon();

        SyncService.RunReport report = syncs.syncNow(id);

        assertThat(report.error()).isNull();
        assertThat(report.skipped()).isEqualTo(2);
        assertThat(count("orders")).isEqualTo(6);
        JsonNode status = connection(id).get("status");
        assertThat(status.get("skippedRecords").asLong()).isEqualTo(2);
        assertThat(status.get("lastSkipped").toString()).contains(orderId(7)).contains("PurchaseDate")
                .contains(orderId(8)).contains("Amount");
        assertThat(status.get("state").asString()).isEqualTo("idle");
    }
}
