package dev.caravan.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stubs the connector tests serve are shaped exactly as the official contracts: each body validates against
 * its definition (types, required fields, enums) and uses no property the contract does not declare.
 */
class StubContractsTest {

    static final Instant T = Instant.parse("2025-06-10T10:00:00Z");

    @Test
    void amazonStubsFollowOrdersV0() {
        Contracts.Contract orders = new Contracts.Contract(Contracts.spec("amazon-sp-api/models/ordersV0.json"));
        for (String status : List.of("Pending", "Unshipped", "PartiallyShipped", "Shipped", "Canceled")) {
            ObjectNode o = AmazonStubs.order("111-0000001-0000001", T, T.plusSeconds(60), status, "12.50", "USD",
                    "buyer@marketplace.amazon.com", "+1 212-736-1001", "US");
            assertThat(orders.violations("GetOrdersResponse", AmazonStubs.ordersPage(List.of(o), "tok", T)))
                    .as(status).isEmpty();
        }
        ObjectNode guest = AmazonStubs.order("111-0000002-0000002", T, T, "Pending", null, null, null, null, "DE");
        assertThat(orders.violations("GetOrdersResponse", AmazonStubs.ordersPage(List.of(guest), null, null))).isEmpty();
        assertThat(orders.violations("GetOrderItemsResponse", AmazonStubs.items("111-0000001-0000001", "SKU-1", 2,
                "23.00", "USD"))).isEmpty();
        assertThat(orders.violations("GetOrdersResponse", AmazonStubs.error("Unauthorized",
                "The access token you provided has expired."))).isEmpty();
    }

    @Test
    void ebayStubsFollowSellFulfillment() {
        Contracts.Contract fulfillment = new Contracts.Contract(Contracts.spec("ebay/sell_fulfillment_v1_oas3.json"));
        ObjectNode o = EbayStubs.order("12-00001-00001", T, T.plusSeconds(60), "FULFILLED", "PAID", "buyer_1",
                "buyer1@example.de", "+49 30 9018201", "DE", "19.99", 2, "EUR");
        EbayStubs.refund(o, "R-1", "5.00", "EUR", T.plusSeconds(3600));
        String page = EbayStubs.page("/sell/fulfillment/v1/order", List.of(o), 0, 50, 1, null);
        assertThat(fulfillment.violations("OrderSearchPagedCollection", page)).isEmpty();
    }

    @Test
    void theCheckCatchesBodiesThatBreakTheContract() {
        Contracts.Contract orders = new Contracts.Contract(Contracts.spec("amazon-sp-api/models/ordersV0.json"));
        ObjectNode o = AmazonStubs.order("111-0000003-0000003", T, T, "Shipped", "1.00", "USD", null, null, "US");
        o.put("OrderStatus", "Teleported");          // not in the enum
        o.put("NumberOfItemsShipped", "one");        // not an integer
        o.put("Colour", "red");                      // not declared
        o.remove("AmazonOrderId");                   // required
        List<String> violations = orders.violations("GetOrdersResponse", AmazonStubs.ordersPage(List.of(o), null, null));
        assertThat(String.join("\n", violations)).contains("OrderStatus").contains("NumberOfItemsShipped")
                .contains("Colour").contains("AmazonOrderId");
    }
}
