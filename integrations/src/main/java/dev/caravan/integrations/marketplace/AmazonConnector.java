package dev.caravan.integrations.marketplace;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Amazon Selling Partner API, Orders v0 ({@code ordersV0.json}): {@code getOrders} over a LastUpdatedAfter /
 * LastUpdatedBefore window paged by NextToken, {@code getOrderItems} for the lines, Login-with-Amazon refresh
 * tokens. Buyer details (BuyerInfo, ShippingAddress phone) arrive only when the application holds the role that
 * permits them; without them orders are stored as guest orders.
 */
final class AmazonConnector implements MarketplaceConnector {

    static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    @Override
    public MarketplaceType type() {
        return MarketplaceType.AMAZON;
    }

    @Override
    public HttpCall authorise(HttpCall call, SyncContext ctx) {
        String token = ctx.tokens().valid(ctx.spec().id(), ctx.now());
        if (token == null) {
            ConnectionSpec s = ctx.spec();
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "refresh_token");
            form.put("refresh_token", s.requireCredential("refreshToken"));
            form.put("client_id", s.requireCredential("clientId"));
            form.put("client_secret", s.requireCredential("clientSecret"));
            token = OAuth.refresh(ctx, HttpCall.postForm("lwa-token", s.authUrl(), form));
        }
        return call.withHeader("x-amz-access-token", token);
    }

    @Override
    public ReplyKind classify(HttpReply reply) {
        int s = reply.status();
        if (s >= 200 && s < 300) return ReplyKind.OK;
        if (s == 429) return ReplyKind.RATE_LIMITED;
        if (s == 401) return ReplyKind.TOKEN_REJECTED;
        if (s == 403) {
            // SP-API answers an expired or revoked token with 403 and code "Unauthorized"
            String body = reply.text().toLowerCase(Locale.ROOT);
            return body.contains("unauthorized") || body.contains("expired") || body.contains("invalid_token")
                    ? ReplyKind.TOKEN_REJECTED : ReplyKind.FAILED;
        }
        if (s >= 500) return ReplyKind.SERVER_ERROR;
        return ReplyKind.FAILED;
    }

    @Override
    public HttpCall pageRequest(SyncContext ctx, String stream, SyncCursor cursor) {
        ConnectionSpec s = ctx.spec();
        Map<String, String> q = new LinkedHashMap<>();
        q.put("MarketplaceIds", s.setting("marketplaceId"));
        q.put("LastUpdatedAfter", ISO.format(cursor.from().truncatedTo(ChronoUnit.SECONDS)));
        q.put("LastUpdatedBefore", ISO.format(cursor.until().truncatedTo(ChronoUnit.SECONDS)));
        q.put("MaxResultsPerPage", String.valueOf(s.intSetting("pageSize", 1, 100)));
        if (cursor.page() != null) q.put("NextToken", cursor.page());
        return HttpCall.get("getOrders", s.baseUrl() + "/orders/v0/orders", q);
    }

    @Override
    public SyncPage readPage(SyncContext ctx, String stream, SyncCursor cursor, HttpReply reply) {
        JsonNode root = Json.parse(reply.body());
        JsonNode payload = Json.obj(root, "payload");
        if (payload == null) throw new MalformedRecordException("the getOrders answer has no payload");
        JsonNode list = Json.array(payload, "Orders");
        if (list == null) throw new MalformedRecordException("the getOrders payload has no Orders");
        boolean items = Boolean.parseBoolean(ctx.spec().setting("fetchItems"));
        MarketplaceRoutes.PageBuilder page = new MarketplaceRoutes.PageBuilder();
        for (int i = 0; i < list.size(); i++) {
            JsonNode o = list.get(i);
            String ref = Json.text(o, "AmazonOrderId") != null ? Json.text(o, "AmazonOrderId") : "#" + i;
            try {
                MarketplaceOrder order = order(o, ctx.spec().storeId());
                if (items) {
                    order = order.withLines(items(ctx, order.orderId()));
                }
                page.orders.add(order);
            } catch (MalformedRecordException e) {
                page.skip(ref, e.getMessage());
            } catch (SyncException e) {
                if (e.retryable()) throw e;
                page.skip(ref, "order items could not be read: " + e.getMessage());
            }
        }
        String next = Json.text(payload, "NextToken");
        return next != null ? page.build(stream, cursor, cursor.atPage(next), false)
                : page.build(stream, cursor, cursor.completed(), true);
    }

    static MarketplaceOrder order(JsonNode o, String storeId) {
        String id = Json.required(o, "AmazonOrderId");
        Instant placed = Json.instant(o, "PurchaseDate");
        Instant updated = Json.instant(o, "LastUpdateDate");
        if (placed == null) throw new MalformedRecordException("PurchaseDate is missing");
        String rawStatus = Json.required(o, "OrderStatus");
        String status;
        switch (rawStatus) {
            case "Unshipped":
            case "PartiallyShipped":
                status = "paid";
                break;
            case "Shipped":
                status = "shipped";
                break;
            case "Canceled":
                status = "cancelled";
                break;
            case "Pending":
            case "PendingAvailability":
            case "InvoiceUnconfirmed":
            case "Unfulfillable":
                status = "placed";
                break;
            default:
                throw new MalformedRecordException("OrderStatus '" + rawStatus + "' is not an Amazon order status");
        }
        JsonNode total = Json.obj(o, "OrderTotal");
        JsonNode ship = Json.obj(o, "ShippingAddress");
        JsonNode info = Json.obj(o, "BuyerInfo");
        String country = Json.text(ship, "CountryCode");
        MarketplaceBuyer buyer = null;
        String email = Json.text(info, "BuyerEmail");
        String phone = Json.text(ship, "Phone");
        if (email != null || phone != null) {
            MarketplaceAddress address = ship == null ? null : new MarketplaceAddress(Json.text(ship, "AddressLine1"),
                    Json.text(ship, "AddressLine2"), Json.text(ship, "City"), Json.text(ship, "StateOrRegion"),
                    Json.text(ship, "PostalCode"), country);
            String name = Json.text(info, "BuyerName") != null ? Json.text(info, "BuyerName") : Json.text(ship, "Name");
            buyer = new MarketplaceBuyer(null, email, phone, name, null, null, country, null,
                    Json.text(total, "CurrencyCode"), address, Map.of(), null);
        }
        return new MarketplaceOrder(MarketplaceType.AMAZON, storeId, id, status, placed, updated,
                status.equals("shipped") ? updated : null, null, status.equals("cancelled") ? updated : null,
                Json.text(total, "CurrencyCode"), Json.decimal(total, "Amount"), null, buyer, country, List.of(),
                List.of());
    }

    /** getOrderItems, following its NextToken. */
    private List<MarketplaceLine> items(SyncContext ctx, String orderId) {
        List<MarketplaceLine> lines = new ArrayList<>();
        String next = null;
        do {
            Map<String, String> q = new LinkedHashMap<>();
            if (next != null) q.put("NextToken", next);
            HttpReply reply = ctx.send(HttpCall.get("getOrderItems",
                    ctx.spec().baseUrl() + "/orders/v0/orders/" + orderId + "/orderItems", q));
            JsonNode payload = Json.obj(Json.parse(reply.body()), "payload");
            JsonNode items = Json.array(payload, "OrderItems");
            if (items == null) throw new MalformedRecordException("getOrderItems gave no OrderItems");
            for (JsonNode item : items) {
                lines.add(line(item));
            }
            next = Json.text(payload, "NextToken");
        } while (next != null);
        return lines;
    }

    static MarketplaceLine line(JsonNode item) {
        int qty = Json.integer(item, "QuantityOrdered", 0);
        BigDecimal price = Json.decimal(Json.obj(item, "ItemPrice"), "Amount"); // ItemPrice is for the whole quantity
        BigDecimal unit = price == null ? null
                : qty > 0 ? price.divide(BigDecimal.valueOf(qty), 2, RoundingMode.HALF_UP) : price;
        String sku = Json.text(item, "SellerSKU") != null ? Json.text(item, "SellerSKU") : Json.required(item, "ASIN");
        return new MarketplaceLine(Json.text(item, "OrderItemId"), sku, Json.text(item, "Title"), qty, unit);
    }
}
