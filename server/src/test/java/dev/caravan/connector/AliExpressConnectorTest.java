package dev.caravan.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.caravan.order.Order;
import org.junit.jupiter.api.Test;

/** AliExpress seller orders by page number, with a token refresh (the fields are assumptions: docs/CONNECTORS.md). */
@ConnectorTest
class AliExpressConnectorTest extends ConnectorTestBase {

    static String order(int n, String status) {
        return "{\"order_id\":800000000000" + n + ",\"gmt_create\":\"2025-09-0" + n + " 10:00:00\","
                + "\"gmt_update\":\"2025-09-0" + n + " 12:00:00\",\"order_status\":\"" + status + "\","
                + "\"buyer_login_id\":\"br" + n + "\",\"buyer_signer_fullname\":\"Buyer " + n + "\","
                + "\"pay_amount\":{\"amount\":\"" + (20 + n) + ".00\",\"currency_code\":\"USD\"},"
                + "\"product_list\":{\"order_product_dto\":[{\"child_id\":" + n + ",\"product_id\":1005001,"
                + "\"sku_code\":\"AE-" + n + "\",\"product_name\":\"Phone case\",\"product_count\":1,"
                + "\"product_unit_price\":{\"amount\":\"" + (20 + n) + ".00\",\"currency_code\":\"USD\"}}]}}";
    }

    static String page(int current, int total, String... orders) {
        return "{\"aliexpress_solution_order_get_response\":{\"result\":{\"success\":true,\"current_page\":" + current
                + ",\"total_page\":" + total + ",\"page_size\":2,\"total_count\":3,\"target_list\":{\"order_dto\":["
                + String.join(",", orders) + "]}},\"request_id\":\"r" + current + "\"}}";
    }

    @Test
    void pagesThroughOrdersAfterRefreshingTheToken() {
        wm.stubFor(get(urlPathEqualTo("/rest/auth/token/refresh")).willReturn(okJson(
                "{\"access_token\":\"ae-token\",\"refresh_token\":\"ae-refresh-2\",\"expires_in\":86400,\"code\":\"0\"}")));
        wm.stubFor(get(urlPathEqualTo("/sync")).withQueryParam("param0", matching(".*\"current_page\":1.*"))
                .willReturn(okJson(page(1, 2, order(1, "WAIT_SELLER_SEND_GOODS"), order(2, "WAIT_BUYER_ACCEPT_GOODS")))));
        wm.stubFor(get(urlPathEqualTo("/sync")).withQueryParam("param0", matching(".*\"current_page\":2.*"))
                .willReturn(okJson(page(2, 2, order(3, "FINISH")))));
        String id = connect("aliexpress", Map.of("sellerId", "ae-store-1", "pageSize", "2"),
                Map.of("appKey", "500100", "appSecret", "ae-secret", "refreshToken", "ae-refresh"),
                Instant.parse("2025-08-01T00:00:00Z"));

        SyncService.RunReport report = syncs.syncNow(id);

        assertThat(report.error()).isNull();
        assertThat(count("orders")).isEqualTo(3);
        assertThat(mongo.findById("aliexpress/ae-store-1/8000000000002", Order.class).status()).isEqualTo("shipped");
        assertThat(mongo.findById("aliexpress/ae-store-1/8000000000003", Order.class).status()).isEqualTo("delivered");
        List<LoggedRequest> calls = wm.findAll(getRequestedFor(urlPathEqualTo("/sync")));
        assertThat(calls).hasSize(2);
        LoggedRequest c = calls.get(0);
        assertThat(c.queryParameter("method").firstValue()).isEqualTo("aliexpress.solution.order.get");
        assertThat(c.queryParameter("access_token").firstValue()).isEqualTo("ae-token");
        assertThat(c.queryParameter("app_key").firstValue()).isEqualTo("500100");
        assertThat(c.queryParameter("sign_method").firstValue()).isEqualTo("sha256");
        assertThat(c.queryParameter("sign").firstValue()).matches("[0-9A-F]{64}");
        assertThat(c.queryParameter("param0").firstValue()).contains("\"modified_date_start\":\"2025-07-31 17:00:00\"");
        // the rotated refresh token is kept (encrypted) for the next run
        assertThat(connections.credentials(connections.get(id))).containsEntry("refreshToken", "ae-refresh-2");
        wm.verify(1, getRequestedFor(urlPathEqualTo("/rest/auth/token/refresh"))
                .withQueryParam("refresh_token", equalTo("ae-refresh")));
    }
}
