package dev.caravan.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.caravan.order.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** REST Admin API backfill of customers and orders, paged by the Link header's page_info. */
@ConnectorTest
class ShopifyBackfillTest extends ConnectorTestBase {

    static final String BASE = "/admin/api/2026-07/";

    @Test
    void backfillsCustomersAndOrdersPageByPage() {
        ObjectNode customer = ShopifySamples.json("customers_create.json");
        wm.stubFor(get(urlPathEqualTo(BASE + "customers.json"))
                .willReturn(okJson("{\"customers\":[" + customer + "]}")));
        ObjectNode first = ShopifySamples.json("orders_create.json");
        first.put("cancelled_at", (String) null);
        first.put("financial_status", "paid");
        ObjectNode second = ShopifySamples.json("orders_create.json");
        second.put("id", 820982911946154600L);
        second.put("cancelled_at", (String) null);
        second.put("financial_status", "paid");
        second.put("fulfillment_status", "fulfilled");
        wm.stubFor(get(urlPathEqualTo(BASE + "orders.json")).withQueryParam("page_info", absent())
                .willReturn(okJson("{\"orders\":[" + first + "]}").withHeader("Link",
                        "<https://" + ShopifySamples.SHOP + BASE + "orders.json?limit=1&page_info=eyJsYXN0X2lkIjo4MjB9>; rel=\"next\"")));
        wm.stubFor(get(urlPathEqualTo(BASE + "orders.json")).withQueryParam("page_info", equalTo("eyJsYXN0X2lkIjo4MjB9"))
                .willReturn(okJson("{\"orders\":[" + second + "]}").withHeader("Link",
                        "<https://" + ShopifySamples.SHOP + BASE + "orders.json?limit=1&page_info=eyJwcmV2In0>; rel=\"previous\"")));
        String id = connect("shopify", Map.of("shopDomain", ShopifySamples.SHOP, "pageSize", "1"),
                Map.of("webhookSecret", ShopifySamples.SECRET, "accessToken", "shpat_test"),
                Instant.parse("2025-01-01T00:00:00Z"));

        SyncService.RunReport report = syncs.syncNow(id);

        assertThat(report.error()).isNull();
        assertThat(report.customers()).isEqualTo(1);
        assertThat(report.orders()).isEqualTo(2);
        assertThat(mongo.findById("shopify/" + ShopifySamples.SHOP + "/820982911946154508", Order.class).status())
                .isEqualTo("paid");
        assertThat(mongo.findById("shopify/" + ShopifySamples.SHOP + "/820982911946154600", Order.class).status())
                .isEqualTo("shipped");
        List<LoggedRequest> orders = wm.findAll(getRequestedFor(urlPathEqualTo(BASE + "orders.json")));
        assertThat(orders).hasSize(2);
        assertThat(orders.get(0).getHeader("X-Shopify-Access-Token")).isEqualTo("shpat_test");
        assertThat(orders.get(0).queryParameter("status").firstValue()).isEqualTo("any");
        assertThat(orders.get(0).queryParameter("updated_at_min").firstValue()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(orders.get(1).queryParameter("updated_at_min").isPresent()).isFalse(); // page_info stands alone
        assertThat(connection(id).get("status").get("cursors").has("customers")).isTrue();
        assertThat(count("customers")).isEqualTo(2); // Bob from customers.json, John from the orders
    }
}
