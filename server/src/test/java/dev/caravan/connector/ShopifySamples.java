package dev.caravan.connector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import dev.caravan.integrations.marketplace.ShopifyPayloads;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Shopify's published webhook samples ({@code shopify/webhooks/*.json}) and signed deliveries of them. */
final class ShopifySamples {

    static final String SHOP = "caravan-test.myshopify.com";
    static final String SECRET = "shpss_test_client_secret";

    private ShopifySamples() {
    }

    static byte[] raw(String file) {
        try {
            return Files.readAllBytes(Contracts.spec("shopify/webhooks/" + file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode json(String file) {
        return (ObjectNode) Contracts.JSON.readTree(raw(file));
    }

    static ResponseEntity<JsonNode> deliver(RestClient client, String connectionId, String topic, byte[] body,
                                            String hmac, String webhookId) {
        return client.post().uri("/webhooks/shopify/{id}", connectionId)
                .header("Content-Type", "application/json")
                .header("X-Shopify-Topic", topic)
                .header("X-Shopify-Hmac-Sha256", hmac)
                .header("X-Shopify-Shop-Domain", SHOP)
                .header("X-Shopify-Webhook-Id", webhookId)
                .header("X-Shopify-API-Version", "2026-07")
                .body(body).retrieve().toEntity(JsonNode.class);
    }

    static ResponseEntity<JsonNode> deliverSigned(RestClient client, String connectionId, String topic, byte[] body,
                                                  String webhookId) {
        return deliver(client, connectionId, topic, body, ShopifyPayloads.sign(body, SECRET), webhookId);
    }
}
