package dev.caravan.connector;

import java.util.List;
import java.util.Map;

import dev.caravan.common.web.ProblemHandler;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Public endpoint Shopify posts webhooks to (no login: {@code /webhooks/**} is open; the HMAC signature is the
 * authentication). Subscribe the topics orders/create, orders/updated, customers/create, customers/update and
 * the mandatory customers/redact, customers/data_request, shop/redact.
 */
@RestController
@Tag(name = "Webhooks", description = "Inbound platform webhooks, authenticated by their signatures")
public class ShopifyWebhookController {

    private final ShopifyWebhookService webhooks;

    ShopifyWebhookController(ShopifyWebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @PostMapping(value = "/webhooks/shopify/{connectionId}", consumes = MediaType.ALL_VALUE)
    @PreAuthorize("permitAll()") // authenticated by the HMAC signature, checked before anything is read
    @Operation(summary = "Receive a Shopify webhook",
            description = "The topic comes from X-Shopify-Topic; the raw body must carry a valid "
                    + "X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 under the app's client secret, the connection's "
                    + "webhookSecret), else 401 and nothing is stored. 200 for everything Shopify should not resend.")
    public ResponseEntity<Object> receive(@PathVariable String connectionId,
                                          @RequestHeader(value = "X-Shopify-Topic", required = false) String topic,
                                          @RequestHeader(value = "X-Shopify-Hmac-Sha256", required = false) String hmac,
                                          @RequestHeader(value = "X-Shopify-Shop-Domain", required = false) String shop,
                                          @RequestHeader(value = "X-Shopify-Webhook-Id", required = false) String webhookId,
                                          @RequestBody(required = false) byte[] body) {
        ShopifyWebhookService.Result result = webhooks.receive(connectionId, topic, hmac, shop, webhookId,
                body == null ? new byte[0] : body);
        if (result == ShopifyWebhookService.Result.UNAUTHORIZED) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(ProblemHandler.problem(HttpStatus.UNAUTHORIZED, "Unauthorized",
                            "the webhook signature (X-Shopify-Hmac-Sha256) does not match", List.of()));
        }
        return ResponseEntity.ok(Map.of("result", result.name().toLowerCase()));
    }
}
