package dev.caravan.integrations.marketplace;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * eBay Sell Fulfillment API ({@code sell_fulfillment_v1_oas3.json}): {@code getOrders} filtered by
 * {@code lastmodifieddate:[from..until]} and paged by offset/limit; OAuth user tokens refreshed with the
 * refresh-token grant. eBay pages by position, so if the result set shrinks while it is read (an order modified
 * again leaves the window) the window is read again from offset 0; writes are idempotent, so nothing doubles.
 */
final class EbayConnector implements MarketplaceConnector {

    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String TOTAL = "ebay.total";

    @Override
    public MarketplaceType type() {
        return MarketplaceType.EBAY;
    }

    @Override
    public HttpCall authorise(HttpCall call, SyncContext ctx) {
        String token = ctx.tokens().valid(ctx.spec().id(), ctx.now());
        if (token == null) {
            ConnectionSpec s = ctx.spec();
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "refresh_token");
            form.put("refresh_token", s.requireCredential("refreshToken"));
            form.put("scope", s.setting("scope"));
            String basic = Base64.getEncoder().encodeToString((s.requireCredential("clientId") + ":"
                    + s.requireCredential("clientSecret")).getBytes(StandardCharsets.UTF_8));
            token = OAuth.refresh(ctx, HttpCall.postForm("ebay-token", s.authUrl(), form)
                    .withHeader("Authorization", "Basic " + basic));
        }
        return call.withHeader("Authorization", "Bearer " + token);
    }

    @Override
    public ReplyKind classify(HttpReply reply) {
        int s = reply.status();
        if (s >= 200 && s < 300) return ReplyKind.OK;
        if (s == 401) return ReplyKind.TOKEN_REJECTED;
        if (s == 429) return ReplyKind.RATE_LIMITED;
        if (s >= 500) return ReplyKind.SERVER_ERROR;
        return ReplyKind.FAILED;
    }

    @Override
    public HttpCall pageRequest(SyncContext ctx, String stream, SyncCursor cursor) {
        ConnectionSpec s = ctx.spec();
        Map<String, String> q = new LinkedHashMap<>();
        q.put("filter", "lastmodifieddate:[" + TS.format(cursor.from()) + ".." + TS.format(cursor.until()) + "]");
        q.put("limit", String.valueOf(s.intSetting("pageSize", 1, 200)));
        q.put("offset", cursor.page() == null ? "0" : cursor.page());
        return HttpCall.get("getOrders", s.baseUrl() + "/sell/fulfillment/v1/order", q);
    }

    @Override
    public SyncPage readPage(SyncContext ctx, String stream, SyncCursor cursor, HttpReply reply) {
        JsonNode root = Json.parse(reply.body());
        JsonNode list = Json.array(root, "orders");
        int offset = cursor.page() == null ? 0 : Integer.parseInt(cursor.page());
        int total = Json.integer(root, "total", -1);
        MarketplaceRoutes.PageBuilder page = new MarketplaceRoutes.PageBuilder();
        int count = list == null ? 0 : list.size();
        for (int i = 0; i < count; i++) {
            JsonNode o = list.get(i);
            String ref = Json.text(o, "orderId") != null ? Json.text(o, "orderId") : "offset " + (offset + i);
            try {
                page.orders.add(order(o, ctx.spec().storeId()));
            } catch (MalformedRecordException e) {
                page.skip(ref, e.getMessage());
            }
        }
        Integer seen = (Integer) ctx.attributes().get(TOTAL);
        ctx.attributes().put(TOTAL, total);
        if (seen != null && total >= 0 && total < seen) {
            // orders left the window while it was read: positions moved, read it again from the start
            return page.build(stream, cursor, cursor.restartWindow(), false);
        }
        boolean more = Json.text(root, "next") != null || (total >= 0 && offset + count < total);
        if (more && count > 0) {
            return page.build(stream, cursor, cursor.atPage(String.valueOf(offset + count)), false);
        }
        return page.build(stream, cursor, cursor.completed(), true);
    }

    static MarketplaceOrder order(JsonNode o, String storeId) {
        String id = Json.required(o, "orderId");
        Instant placed = Json.instant(o, "creationDate");
        if (placed == null) throw new MalformedRecordException("creationDate is missing");
        Instant modified = Json.instant(o, "lastModifiedDate");
        JsonNode cancel = Json.obj(o, "cancelStatus");
        String cancelState = Json.text(cancel, "cancelState");
        String fulfilment = Json.text(o, "orderFulfillmentStatus");
        String payment = Json.text(o, "orderPaymentStatus");
        String status;
        if ("CANCELED".equals(cancelState)) status = "cancelled";
        else if ("FULLY_REFUNDED".equals(payment)) status = "refunded";
        else if ("FULFILLED".equals(fulfilment)) status = "shipped";
        else if ("PAID".equals(payment) || "PARTIALLY_REFUNDED".equals(payment) || "IN_PROGRESS".equals(fulfilment)) {
            status = "paid";
        } else status = "placed";

        JsonNode total = Json.obj(Json.obj(o, "pricingSummary"), "total");
        String currency = Json.text(total, "currency");
        List<MarketplaceLine> lines = new ArrayList<>();
        JsonNode items = Json.array(o, "lineItems");
        if (items != null) {
            for (JsonNode li : items) {
                int qty = Json.integer(li, "quantity", 1);
                JsonNode cost = Json.obj(li, "lineItemCost"); // unit price times quantity
                BigDecimal amount = Json.decimal(cost, "value");
                if (currency == null) currency = Json.text(cost, "currency");
                BigDecimal unit = amount == null ? null
                        : qty > 0 ? amount.divide(BigDecimal.valueOf(qty), 2, RoundingMode.HALF_UP) : amount;
                String sku = Json.text(li, "sku") != null ? Json.text(li, "sku") : Json.text(li, "legacyItemId");
                lines.add(new MarketplaceLine(Json.text(li, "lineItemId"), sku, Json.text(li, "title"), qty, unit));
            }
        }
        JsonNode buyerNode = Json.obj(o, "buyer");
        JsonNode reg = Json.obj(buyerNode, "buyerRegistrationAddress");
        JsonNode shipTo = null;
        JsonNode instructions = Json.array(o, "fulfillmentStartInstructions");
        if (instructions != null && instructions.size() > 0) {
            shipTo = Json.obj(Json.obj(instructions.get(0), "shippingStep"), "shipTo");
        }
        JsonNode contact = Json.obj(reg, "contactAddress");
        JsonNode shipAddress = Json.obj(shipTo, "contactAddress");
        String country = Json.text(contact, "countryCode") != null ? Json.text(contact, "countryCode")
                : Json.text(shipAddress, "countryCode");
        String phone = Json.text(Json.obj(reg, "primaryPhone"), "phoneNumber");
        if (phone == null) phone = Json.text(Json.obj(shipTo, "primaryPhone"), "phoneNumber");
        String email = Json.text(reg, "email") != null ? Json.text(reg, "email") : Json.text(shipTo, "email");
        MarketplaceBuyer buyer = null;
        String username = Json.text(buyerNode, "username");
        if (username != null || email != null || phone != null) {
            JsonNode a = contact != null ? contact : shipAddress;
            MarketplaceAddress address = a == null ? null : new MarketplaceAddress(Json.text(a, "addressLine1"),
                    Json.text(a, "addressLine2"), Json.text(a, "city"), Json.text(a, "stateOrProvince"),
                    Json.text(a, "postalCode"), Json.text(a, "countryCode"));
            String name = Json.text(reg, "fullName") != null ? Json.text(reg, "fullName") : Json.text(shipTo, "fullName");
            buyer = new MarketplaceBuyer(username, email, phone, name, null, null, country, null, null, address,
                    Map.of(), null);
        }
        List<MarketplaceRefund> refunds = new ArrayList<>();
        JsonNode refundList = Json.array(Json.obj(o, "paymentSummary"), "refunds");
        if (refundList != null) {
            for (JsonNode r : refundList) {
                if (!"REFUNDED".equals(Json.text(r, "refundStatus"))) continue;
                String rid = Json.text(r, "refundId") != null ? Json.text(r, "refundId") : Json.text(r, "refundReferenceId");
                if (rid == null) continue;
                JsonNode amount = Json.obj(r, "amount");
                refunds.add(new MarketplaceRefund(rid, "refund", Json.decimal(amount, "value"),
                        Json.text(amount, "currency"), null, Json.instant(r, "refundDate")));
            }
        }
        return new MarketplaceOrder(MarketplaceType.EBAY, storeId, id, status, placed, modified,
                status.equals("shipped") ? modified : null, null,
                status.equals("cancelled") ? first(Json.instant(cancel, "cancelledDate"), modified) : null,
                currency, Json.decimal(total, "value"), lines, buyer, Json.text(shipAddress, "countryCode"),
                List.of(), refunds);
    }

    private static Instant first(Instant a, Instant b) {
        return a != null ? a : b;
    }
}
