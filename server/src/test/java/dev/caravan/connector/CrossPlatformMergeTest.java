package dev.caravan.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.caravan.customer.Customer;
import dev.caravan.order.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The same buyer from Amazon (masked relay e-mail, phone) and Shopify (real e-mail, same phone) is one customer. */
@ConnectorTest
class CrossPlatformMergeTest extends ConnectorTestBase {

    @Test
    void aBuyerFromAmazonAndShopifyWithTheSamePhoneIsOneCustomer() {
        Instant placed = Instant.parse("2025-08-01T12:00:00Z");
        wm.stubFor(post(urlPathEqualTo("/auth/o2/token")).willReturn(okJson(AmazonStubs.lwaToken("Atza|t", 3600))));
        wm.stubFor(get(urlPathEqualTo("/orders/v0/orders")).willReturn(okJson(AmazonStubs.ordersPage(List.of(
                AmazonStubs.order("113-1111111-1111111", placed, placed.plusSeconds(60), "Shipped", "42.00", "USD",
                        "x7kq2mnb0p4d3f5@marketplace.amazon.com", "+1 212-736-5000", "US")), null, null))));
        wm.stubFor(get(urlPathMatching("/orders/v0/orders/.+/orderItems"))
                .willReturn(okJson(AmazonStubs.items("113-1111111-1111111", "MUG-1", 1, "42.00", "USD"))));
        String amazon = connect("amazon", Map.of("sellerId", "A2SELLER", "marketplaceId", AmazonStubs.MARKETPLACE),
                Map.of("clientId", "c", "clientSecret", "s", "refreshToken", "Atzr|refresh"),
                Instant.parse("2025-07-01T00:00:00Z"));
        String shopify = connect("shopify", Map.of("shopDomain", ShopifySamples.SHOP),
                Map.of("webhookSecret", ShopifySamples.SECRET), Instant.parse("2025-07-01T00:00:00Z"));

        assertThat(syncs.syncNow(amazon).error()).isNull();
        ObjectNode customer = ShopifySamples.json("customers_create.json");
        customer.put("phone", "(212) 736-5000");
        customer.put("email", "ann.lee@example.com");
        ShopifySamples.deliverSigned(api.anonymous(), shopify, "customers/create", customer.toString().getBytes(), "m-1");

        assertThat(count("customers")).isEqualTo(1);
        Order order = mongo.findById("amazon/" + AmazonStubs.MARKETPLACE + "/113-1111111-1111111", Order.class);
        Customer c = mongo.findById(order.customerId(), Customer.class);
        assertThat(c.getPhones()).containsExactly("+12127365000");
        assertThat(c.getEmails()).contains("ann.lee@example.com");
        assertThat(mongo.getCollection("identity_keys").find(new org.bson.Document("_id",
                normalizer.emailKey("x7kq2mnb0p4d3f5@marketplace.amazon.com"))).first().getString("customerId")).isEqualTo(c.getId());
        assertThat(c.getIdentities()).extracting(i -> i.platform()).contains("shopify");
        assertThat(mongo.getCollection("identity_keys").find().map(d -> d.getString("customerId")).into(new java.util.HashSet<>()))
                .containsExactly(c.getId());
    }
}
