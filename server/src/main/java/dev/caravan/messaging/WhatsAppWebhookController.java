package dev.caravan.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.caravan.customer.CustomerService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WhatsApp Cloud API webhook. GET answers Meta's verification ({@code hub.verify_token} must equal
 * {@code caravan.whatsapp.verify-token}); POST accepts only payloads whose {@code X-Hub-Signature-256} is the
 * HMAC-SHA256 of the raw body with {@code caravan.whatsapp.app-secret}. Delivery statuses move messages to
 * delivered / read / failed; inbound customer messages open the 24-hour service window, and STOP-like replies
 * withdraw WhatsApp marketing consent.
 */
@RestController
@Tag(name = "Webhooks", description = "Inbound provider callbacks (public, signature-checked)")
public class WhatsAppWebhookController {

    private static final Logger log = LoggerFactory.getLogger(WhatsAppWebhookController.class);
    static final Set<String> STOP_WORDS = Set.of("stop", "unsubscribe", "stop all", "退订", "取消订阅", "td");

    private final WhatsAppProperties props;
    private final WhatsAppReceipts receipts;
    private final AddressBook addresses;
    private final CustomerService customers;
    private final ConsentService consents;
    private final JsonMapper json;
    private final Clock clock;

    WhatsAppWebhookController(WhatsAppProperties props, WhatsAppReceipts receipts, AddressBook addresses,
                              CustomerService customers, ConsentService consents, JsonMapper json, Clock clock) {
        this.props = props;
        this.receipts = receipts;
        this.addresses = addresses;
        this.customers = customers;
        this.consents = consents;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping(value = "/webhooks/whatsapp", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "Webhook verification by Meta")
    public ResponseEntity<String> verify(@RequestParam(name = "hub.mode", required = false) String mode,
                                         @RequestParam(name = "hub.verify_token", required = false) String token,
                                         @RequestParam(name = "hub.challenge", required = false) String challenge) {
        String expected = props.verifyToken();
        if ("subscribe".equals(mode) && expected != null && !expected.isBlank() && token != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))
                && challenge != null) {
            return ResponseEntity.ok(challenge);
        }
        return ResponseEntity.status(HttpStatus.FORBIDDEN).body("verification failed");
    }

    @PostMapping(value = "/webhooks/whatsapp", consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Delivery statuses and inbound messages from WhatsApp")
    public ResponseEntity<Void> receive(@RequestBody(required = false) byte[] body,
                                        @RequestHeader(value = "X-Hub-Signature-256", required = false) String signature) {
        if (body == null || !signed(body, signature)) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (RuntimeException e) {
            return ResponseEntity.badRequest().build();
        }
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                JsonNode value = change.path("value");
                for (JsonNode s : value.path("statuses")) {
                    JsonNode error = s.path("errors").path(0);
                    receipts.status(s.path("id").asString(""), s.path("status").asString(""), time(s.path("timestamp")),
                            error.isMissingNode() ? null : error.path("code").asString(null),
                            error.isMissingNode() ? null : error.path("title").asString(error.path("message").asString(null)));
                }
                for (JsonNode m : value.path("messages")) {
                    inbound(m);
                }
            }
        }
        return ResponseEntity.ok().build();
    }

    private void inbound(JsonNode m) {
        String from = m.path("from").asString(null);
        if (from == null || from.isBlank()) return;
        Instant at = time(m.path("timestamp"));
        addresses.inbound(from, at);
        String text = m.path("text").path("body").asString("").trim().toLowerCase(Locale.ROOT);
        if (STOP_WORDS.contains(text)) {
            customers.customerIdByPhone("+" + from).ifPresent(id -> consents.set(id, Channel.WHATSAPP,
                    Purpose.MARKETING, false, "whatsapp-reply:" + m.path("id").asString(""), "customer", null,
                    "WhatsApp message " + m.path("id").asString("") + " replied '" + text + "'"));
        }
    }

    private Instant time(JsonNode ts) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(ts.asString("")));
        } catch (NumberFormatException e) {
            return clock.instant();
        }
    }

    boolean signed(byte[] body, String header) {
        String secret = props.appSecret();
        if (secret == null || secret.isBlank()) {
            log.warn("Refused a WhatsApp webhook: caravan.whatsapp.app-secret is not set, so signatures cannot be checked");
            return false;
        }
        if (header == null || !header.startsWith("sha256=")) return false;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal(body);
            byte[] given = HexFormat.of().parseHex(header.substring(7).trim().toLowerCase(Locale.ROOT));
            return MessageDigest.isEqual(expected, given);
        } catch (IllegalArgumentException e) {
            return false;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
