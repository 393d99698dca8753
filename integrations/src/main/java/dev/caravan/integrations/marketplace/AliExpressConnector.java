package dev.caravan.integrations.marketplace;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * AliExpress Open Platform seller orders. No official contract is bundled with Caravan, so this follows the
 * platform's public documentation of {@code aliexpress.solution.order.get} as understood here; every field read
 * is listed in docs/CONNECTORS.md. Calls go to {@code /sync?method=...} with app_key, access_token, a
 * millisecond timestamp and an HMAC-SHA256 signature over the sorted parameters; tokens are refreshed at
 * {@code /auth/token/refresh}. Errors come back as HTTP 200 with an {@code error_response}.
 */
final class AliExpressConnector implements MarketplaceConnector {

    static final String METHOD = "aliexpress.solution.order.get";
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    @Override
    public MarketplaceType type() {
        return MarketplaceType.ALIEXPRESS;
    }

    @Override
    public HttpCall authorise(HttpCall call, SyncContext ctx) {
        ConnectionSpec s = ctx.spec();
        String token = ctx.tokens().valid(s.id(), ctx.now());
        if (token == null && s.credential("accessToken") != null && !Boolean.TRUE.equals(ctx.attributes().get("ali.rejected"))) {
            token = s.credential("accessToken");
        }
        if (token == null) token = refresh(ctx);
        return sign(call.withQuery("access_token", token), null, ctx);
    }

    @Override
    public void tokenRejected(SyncContext ctx) {
        ctx.tokens().forget(ctx.spec().id());
        ctx.attributes().put("ali.rejected", Boolean.TRUE); // the stored access token too
    }

    private String refresh(SyncContext ctx) {
        ConnectionSpec s = ctx.spec();
        Map<String, String> q = new LinkedHashMap<>();
        q.put("refresh_token", s.requireCredential("refreshToken"));
        HttpCall call = sign(HttpCall.get("ali-token", s.authUrl() + "/auth/token/refresh", q),
                "/auth/token/refresh", ctx);
        return OAuth.refresh(ctx, call);
    }

    /** Adds app_key, timestamp, sign_method and the signature (HMAC-SHA256, upper-case hex). */
    private HttpCall sign(HttpCall call, String apiPath, SyncContext ctx) {
        ConnectionSpec s = ctx.spec();
        HttpCall c = call.withQuery("app_key", s.requireCredential("appKey"))
                .withQuery("timestamp", String.valueOf(ctx.now().toEpochMilli()))
                .withQuery("sign_method", "sha256");
        Map<String, String> sorted = new TreeMap<>(c.query());
        StringBuilder base = new StringBuilder(apiPath == null ? "" : apiPath);
        sorted.forEach((k, v) -> base.append(k).append(v));
        return c.withQuery("sign", hmac(s.requireCredential("appSecret"), base.toString()));
    }

    static String hmac(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            StringBuilder hex = new StringBuilder();
            for (byte b : mac.doFinal(data.getBytes(StandardCharsets.UTF_8))) hex.append(String.format("%02X", b));
            return hex.toString();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public ReplyKind classify(HttpReply reply) {
        int s = reply.status();
        if (s == 429) return ReplyKind.RATE_LIMITED;
        if (s >= 500) return ReplyKind.SERVER_ERROR;
        if (s == 401) return ReplyKind.TOKEN_REJECTED;
        if (s < 200 || s >= 300) return ReplyKind.FAILED;
        String text = reply.text();
        if (!text.contains("error_response")) return ReplyKind.OK;
        JsonNode err;
        try {
            err = Json.obj(Json.parse(reply.body()), "error_response");
        } catch (MalformedRecordException e) {
            return ReplyKind.OK; // the page reader reports it
        }
        if (err == null) return ReplyKind.OK;
        String code = String.valueOf(Json.text(err, "code"));
        if (code.contains("AccessToken") || code.contains("InvalidSession") || code.contains("SessionExpired")) {
            return ReplyKind.TOKEN_REJECTED;
        }
        if (code.contains("CallLimit") || code.contains("Frequency")) return ReplyKind.RATE_LIMITED;
        if (code.startsWith("isp.") || code.contains("ServiceUnavailable") || code.contains("Timeout")) {
            return ReplyKind.SERVER_ERROR;
        }
        return ReplyKind.FAILED;
    }

    @Override
    public HttpCall pageRequest(SyncContext ctx, String stream, SyncCursor cursor) {
        ConnectionSpec s = ctx.spec();
        ZoneId zone = zone(s);
        ObjectNode param = Json.MAPPER.createObjectNode();
        param.put("modified_date_start", TIME.format(LocalDateTime.ofInstant(cursor.from(), zone)));
        param.put("modified_date_end", TIME.format(LocalDateTime.ofInstant(cursor.until(), zone)));
        param.put("current_page", cursor.page() == null ? 1 : Integer.parseInt(cursor.page()));
        param.put("page_size", s.intSetting("pageSize", 1, 50));
        Map<String, String> q = new LinkedHashMap<>();
        q.put("method", METHOD);
        q.put("param0", param.toString());
        return HttpCall.get("order.get", s.baseUrl() + "/sync", q);
    }

    @Override
    public SyncPage readPage(SyncContext ctx, String stream, SyncCursor cursor, HttpReply reply) {
        JsonNode result = Json.obj(Json.obj(Json.parse(reply.body()), "aliexpress_solution_order_get_response"), "result");
        if (result == null) throw new MalformedRecordException("the answer has no aliexpress_solution_order_get_response.result");
        if (Json.text(result, "success") != null && !Json.bool(result, "success")) {
            throw new SyncException("AliExpress refused the order query: " + Json.text(result, "error_code") + " "
                    + Json.text(result, "error_message"), false, reply.status(), null);
        }
        JsonNode list = Json.array(Json.obj(result, "target_list"), "order_dto");
        ZoneId zone = zone(ctx.spec());
        MarketplaceRoutes.PageBuilder page = new MarketplaceRoutes.PageBuilder();
        if (list != null) {
            for (int i = 0; i < list.size(); i++) {
                JsonNode o = list.get(i);
                String ref = Json.text(o, "order_id") != null ? Json.text(o, "order_id") : "#" + i;
                try {
                    page.orders.add(order(o, ctx.spec().storeId(), zone));
                } catch (MalformedRecordException e) {
                    page.skip(ref, e.getMessage());
                }
            }
        }
        int current = Json.integer(result, "current_page", cursor.page() == null ? 1 : Integer.parseInt(cursor.page()));
        int totalPages = Json.integer(result, "total_page", current);
        return current < totalPages && list != null && list.size() > 0
                ? page.build(stream, cursor, cursor.atPage(String.valueOf(current + 1)), false)
                : page.build(stream, cursor, cursor.completed(), true);
    }

    static MarketplaceOrder order(JsonNode o, String storeId, ZoneId zone) {
        String id = Json.required(o, "order_id");
        Instant placed = time(o, "gmt_create", zone);
        if (placed == null) throw new MalformedRecordException("gmt_create is missing");
        Instant updated = time(o, "gmt_update", zone);
        String raw = Json.required(o, "order_status");
        String endReason = String.valueOf(Json.text(o, "end_reason")).toLowerCase(Locale.ROOT);
        String status;
        switch (raw) {
            case "PLACE_ORDER_SUCCESS":
            case "RISK_CONTROL":
            case "IN_CANCEL":
            case "WAIT_SELLER_EXAMINE_MONEY":
                status = "placed";
                break;
            case "WAIT_SELLER_SEND_GOODS":
            case "SELLER_PART_SEND_GOODS":
            case "FUND_PROCESSING":
            case "IN_ISSUE":
            case "IN_FROZEN":
                status = "paid";
                break;
            case "WAIT_BUYER_ACCEPT_GOODS":
                status = "shipped";
                break;
            case "FINISH":
                status = endReason.contains("cancel") || endReason.contains("close") || endReason.contains("timeout")
                        ? "cancelled" : "delivered";
                break;
            default:
                throw new MalformedRecordException("order_status '" + raw + "' is not an AliExpress order status");
        }
        JsonNode amount = Json.obj(o, "pay_amount");
        if (amount == null) amount = Json.obj(o, "order_amount");
        String currency = Json.text(amount, "currency_code");
        List<MarketplaceLine> lines = new ArrayList<>();
        JsonNode products = Json.array(Json.obj(o, "product_list"), "order_product_dto");
        if (products != null) {
            for (JsonNode p : products) {
                JsonNode unit = Json.obj(p, "product_unit_price");
                if (currency == null) currency = Json.text(unit, "currency_code");
                String sku = Json.text(p, "sku_code") != null ? Json.text(p, "sku_code") : Json.text(p, "product_id");
                lines.add(new MarketplaceLine(Json.text(p, "child_id"), sku, Json.text(p, "product_name"),
                        Json.integer(p, "product_count", 1), Json.decimal(unit, "amount")));
            }
        }
        String buyerId = Json.text(o, "buyer_login_id");
        MarketplaceBuyer buyer = buyerId == null ? null : new MarketplaceBuyer(buyerId, null, null,
                Json.text(o, "buyer_signer_fullname"), null, null, null, null, null, null, Map.of(), null);
        return new MarketplaceOrder(MarketplaceType.ALIEXPRESS, storeId, id, status, placed, updated,
                status.equals("shipped") ? updated : null, status.equals("delivered") ? updated : null,
                status.equals("cancelled") ? updated : null, currency, Json.decimal(amount, "amount"), lines, buyer,
                null, List.of(), List.of());
    }

    private static Instant time(JsonNode o, String field, ZoneId zone) {
        String v = Json.text(o, field);
        if (v == null) return null;
        try {
            return LocalDateTime.parse(v, TIME).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedRecordException(field + " '" + v + "' is not a time like 2024-05-01 13:45:00");
        }
    }

    private static ZoneId zone(ConnectionSpec s) {
        try {
            return ZoneId.of(s.setting("timeZone"));
        } catch (RuntimeException e) {
            return ZoneId.of("America/Los_Angeles");
        }
    }
}
