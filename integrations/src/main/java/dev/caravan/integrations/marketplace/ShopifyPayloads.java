package dev.caravan.integrations.marketplace;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Shopify's order and customer JSON, the same in webhooks and in REST Admin API answers (samples:
 * {@code shopify/webhooks/*.json}). Ids exceed 2^53 and are read as exact text; amounts are strings.
 */
public final class ShopifyPayloads {

    private ShopifyPayloads() {
    }

    /**
     * Whether {@code X-Shopify-Hmac-Sha256} is the base64 HMAC-SHA256 of the raw body under the app's secret.
     * Compared in constant time.
     */
    public static boolean verify(byte[] body, String hmacHeader, String secret) {
        if (hmacHeader == null || secret == null || body == null) return false;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal(body);
            byte[] given;
            try {
                given = Base64.getDecoder().decode(hmacHeader.trim());
            } catch (IllegalArgumentException e) {
                return false;
            }
            return MessageDigest.isEqual(expected, given);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The signature Shopify would send for a body (tests and stubs). */
    public static String sign(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    public static MarketplaceOrder order(JsonNode o, String shop) {
        String id = Json.required(o, "id");
        Instant placed = Json.instant(o, "created_at");
        if (placed == null) placed = Json.instant(o, "processed_at");
        if (placed == null) throw new MalformedRecordException("created_at is missing");
        Instant updated = Json.instant(o, "updated_at");
        Instant cancelled = Json.instant(o, "cancelled_at");
        Instant shipped = null;
        Instant delivered = null;
        JsonNode fulfillments = Json.array(o, "fulfillments");
        if (fulfillments != null) {
            for (JsonNode f : fulfillments) {
                if ("cancelled".equals(Json.text(f, "status"))) continue;
                Instant at = Json.instant(f, "created_at");
                if (at != null && (shipped == null || at.isBefore(shipped))) shipped = at;
                if ("delivered".equals(Json.text(f, "shipment_status"))) {
                    Instant d = Json.instant(f, "updated_at");
                    delivered = d != null ? d : at;
                }
            }
        }
        String financial = Json.text(o, "financial_status");
        String fulfilment = Json.text(o, "fulfillment_status");
        String status;
        if (cancelled != null || "voided".equals(financial)) status = "cancelled";
        else if ("refunded".equals(financial)) status = "refunded";
        else if (delivered != null) status = "delivered";
        else if ("fulfilled".equals(fulfilment) || shipped != null) status = "shipped";
        else if ("paid".equals(financial) || "partially_paid".equals(financial)
                || "partially_refunded".equals(financial)) status = "paid";
        else status = "placed";
        if (status.equals("shipped") && shipped == null) shipped = updated;
        if (status.equals("cancelled") && cancelled == null) cancelled = updated;

        String currency = Json.text(o, "currency");
        List<MarketplaceLine> lines = new ArrayList<>();
        JsonNode items = Json.array(o, "line_items");
        if (items != null) {
            for (JsonNode li : items) {
                String title = Json.text(li, "title") != null ? Json.text(li, "title") : Json.text(li, "name");
                String sku = Json.text(li, "sku") != null ? Json.text(li, "sku") : Json.text(li, "variant_id");
                if (sku == null) sku = Json.text(li, "product_id");
                lines.add(new MarketplaceLine(Json.text(li, "id"), sku, title, Json.integer(li, "quantity", 1),
                        Json.decimal(li, "price")));
            }
        }
        List<String> coupons = new ArrayList<>();
        JsonNode codes = Json.array(o, "discount_codes");
        if (codes != null) codes.forEach(c -> { if (Json.text(c, "code") != null) coupons.add(Json.text(c, "code")); });

        JsonNode shipping = Json.obj(o, "shipping_address");
        JsonNode billing = Json.obj(o, "billing_address");
        JsonNode c = Json.obj(o, "customer");
        MarketplaceBuyer buyer = c == null ? null : customer(c);
        String email = Json.text(o, "email") != null ? Json.text(o, "email") : Json.text(o, "contact_email");
        String phone = Json.text(o, "phone");
        if (phone == null) phone = Json.text(shipping, "phone");
        if (phone == null) phone = Json.text(billing, "phone");
        if (buyer == null && (email != null || phone != null)) {
            buyer = new MarketplaceBuyer(null, email, phone, Json.text(billing, "name"), null, null,
                    Json.text(billing, "country_code"), Json.text(o, "customer_locale"), currency, address(billing),
                    Map.of(), null);
        } else if (buyer != null) {
            buyer = new MarketplaceBuyer(buyer.buyerId(), buyer.email() != null ? buyer.email() : email,
                    buyer.phone() != null ? buyer.phone() : phone, buyer.name(), buyer.firstName(), buyer.lastName(),
                    buyer.country() != null ? buyer.country() : Json.text(billing, "country_code"),
                    buyer.language() != null ? buyer.language() : Json.text(o, "customer_locale"),
                    buyer.currency(), buyer.address() != null ? buyer.address() : address(billing),
                    buyer.consents(), buyer.updatedAt());
        }
        List<MarketplaceRefund> refunds = new ArrayList<>();
        JsonNode refundList = Json.array(o, "refunds");
        if (refundList != null) {
            for (JsonNode r : refundList) {
                BigDecimal amount = null;
                JsonNode tx = Json.array(r, "transactions");
                if (tx != null) {
                    for (JsonNode t : tx) {
                        if ("refund".equals(Json.text(t, "kind")) && !"failure".equals(Json.text(t, "status"))
                                && !"error".equals(Json.text(t, "status"))) {
                            BigDecimal a = Json.decimal(t, "amount");
                            if (a != null) amount = amount == null ? a : amount.add(a);
                        }
                    }
                }
                refunds.add(new MarketplaceRefund(Json.required(r, "id"), "refund", amount, currency,
                        Json.text(r, "note"), Json.instant(r, "created_at")));
            }
        }
        return new MarketplaceOrder(MarketplaceType.SHOPIFY, shop, id, status, placed, updated, shipped, delivered,
                cancelled, currency, Json.decimal(o, "total_price"), lines, buyer, Json.text(shipping, "country_code"),
                coupons, refunds);
    }

    public static MarketplaceBuyer customer(JsonNode c) {
        String id = Json.required(c, "id");
        JsonNode a = Json.obj(c, "default_address");
        String phone = Json.text(c, "phone") != null ? Json.text(c, "phone") : Json.text(a, "phone");
        String first = Json.text(c, "first_name");
        String last = Json.text(c, "last_name");
        Map<String, Boolean> consents = new LinkedHashMap<>();
        consent(Json.obj(c, "email_marketing_consent"), "email", consents);
        consent(Json.obj(c, "sms_marketing_consent"), "sms", consents);
        String name = first == null && last == null ? null : ((first == null ? "" : first) + " "
                + (last == null ? "" : last)).trim();
        return new MarketplaceBuyer(id, Json.text(c, "email"), phone, name, first, last, Json.text(a, "country_code"),
                null, Json.text(c, "currency"), address(a), consents, Json.instant(c, "updated_at"));
    }

    private static void consent(JsonNode node, String channel, Map<String, Boolean> consents) {
        String state = Json.text(node, "state");
        if ("subscribed".equals(state)) consents.put(channel, true);
        else if ("unsubscribed".equals(state)) consents.put(channel, false);
    }

    private static MarketplaceAddress address(JsonNode a) {
        if (a == null) return null;
        return new MarketplaceAddress(Json.text(a, "address1"), Json.text(a, "address2"), Json.text(a, "city"),
                Json.text(a, "province_code") != null ? Json.text(a, "province_code") : Json.text(a, "province"),
                Json.text(a, "zip"), Json.text(a, "country_code"));
    }

    /**
     * A mandatory privacy webhook ({@code customers/redact}, {@code customers/data_request}): the customer's
     * Shopify id, e-mail and phone, and the orders it covers.
     */
    public record PrivacyRequest(String shopId, String shopDomain, String customerId, String email, String phone,
                                 List<String> orderIds, String dataRequestId) {
    }

    public static PrivacyRequest privacyRequest(JsonNode body) {
        JsonNode c = Json.obj(body, "customer");
        List<String> orders = new ArrayList<>();
        for (String field : List.of("orders_to_redact", "orders_requested")) {
            JsonNode list = Json.array(body, field);
            if (list != null) list.forEach(n -> orders.add(n.isIntegralNumber() ? n.bigIntegerValue().toString() : n.asText()));
        }
        return new PrivacyRequest(Json.text(body, "shop_id"), Json.text(body, "shop_domain"), Json.text(c, "id"),
                Json.text(c, "email"), Json.text(c, "phone"), orders, Json.text(Json.obj(body, "data_request"), "id"));
    }
}
