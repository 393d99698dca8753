package dev.caravan.connector;

import java.time.Instant;
import java.util.List;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bodies shaped exactly as Amazon's Orders v0 contract ({@code ordersV0.json}): the fields and types of its
 * GetOrdersResponse / GetOrderItemsResponse, modelled on the contract's own examples.
 * {@link StubContractsTest} validates them against the contract.
 */
final class AmazonStubs {

    static final String MARKETPLACE = "ATVPDKIKX0DER";

    private AmazonStubs() {
    }

    /** An order; {@code email}/{@code phone} null means the app lacks the buyer-information role. */
    static ObjectNode order(String id, Instant purchased, Instant updated, String status, String amount,
                            String currency, String email, String phone, String country) {
        ObjectNode o = Contracts.JSON.createObjectNode();
        o.put("AmazonOrderId", id);
        o.put("PurchaseDate", purchased.toString());
        o.put("LastUpdateDate", updated.toString());
        o.put("OrderStatus", status);
        o.put("FulfillmentChannel", "MFN");
        o.put("SalesChannel", "Amazon.com");
        o.put("ShipServiceLevel", "Std US D2D Dom");
        if (amount != null) {
            ObjectNode total = o.putObject("OrderTotal");
            total.put("CurrencyCode", currency);
            total.put("Amount", amount);
        }
        o.put("NumberOfItemsShipped", status.equals("Shipped") ? 1 : 0);
        o.put("NumberOfItemsUnshipped", status.equals("Shipped") ? 0 : 1);
        o.put("PaymentMethod", "Other");
        o.putArray("PaymentMethodDetails").add("Standard");
        o.put("IsReplacementOrder", false);
        o.put("MarketplaceId", MARKETPLACE);
        o.put("ShipmentServiceLevelCategory", "Standard");
        o.put("OrderType", "StandardOrder");
        o.put("EarliestShipDate", purchased.toString());
        o.put("LatestShipDate", purchased.plusSeconds(3 * 86400).toString());
        o.put("IsBusinessOrder", false);
        o.put("IsPrime", false);
        o.put("IsAccessPointOrder", false);
        o.put("IsGlobalExpressEnabled", false);
        o.put("IsPremiumOrder", false);
        o.put("IsSoldByAB", false);
        o.put("IsIBA", false);
        o.put("IsISPU", false);
        ObjectNode ship = o.putObject("ShippingAddress");
        ship.put("Name", "Buyer " + id);
        ship.put("AddressLine1", "1 Cross St.");
        ship.put("City", "Canton");
        ship.put("StateOrRegion", "MI");
        ship.put("PostalCode", "48817");
        ship.put("CountryCode", country);
        if (phone != null) ship.put("Phone", phone);
        if (email != null) {
            ObjectNode info = o.putObject("BuyerInfo");
            info.put("BuyerEmail", email);
            info.put("BuyerName", "Buyer " + id);
        }
        return o;
    }

    /** A getOrders page: {@code {"payload": {"Orders": [...], "NextToken": ...}}}. */
    static String ordersPage(List<ObjectNode> orders, String nextToken, Instant lastUpdatedBefore) {
        ObjectNode root = Contracts.JSON.createObjectNode();
        ObjectNode payload = root.putObject("payload");
        ArrayNode list = payload.putArray("Orders");
        orders.forEach(list::add);
        if (nextToken != null) payload.put("NextToken", nextToken);
        if (lastUpdatedBefore != null) payload.put("LastUpdatedBefore", lastUpdatedBefore.toString());
        return root.toString();
    }

    /** getOrderItems for one order with one line; ItemPrice is the price of the whole quantity. */
    static String items(String orderId, String sku, int quantity, String itemPrice, String currency) {
        ObjectNode root = Contracts.JSON.createObjectNode();
        ObjectNode payload = root.putObject("payload");
        payload.put("AmazonOrderId", orderId);
        ObjectNode item = payload.putArray("OrderItems").addObject();
        item.put("ASIN", "B00" + sku.hashCode() % 1000);
        item.put("SellerSKU", sku);
        item.put("OrderItemId", "OI-" + orderId);
        item.put("Title", "Item " + sku);
        item.put("QuantityOrdered", quantity);
        item.put("QuantityShipped", 0);
        ObjectNode price = item.putObject("ItemPrice");
        price.put("CurrencyCode", currency);
        price.put("Amount", itemPrice);
        item.put("IsGift", "false");
        item.put("IsTransparency", false);
        item.put("SerialNumberRequired", false);
        return root.toString();
    }

    /** The ErrorList body SP-API sends with 4xx/5xx answers. */
    static String error(String code, String message) {
        ObjectNode root = Contracts.JSON.createObjectNode();
        ObjectNode e = root.putArray("errors").addObject();
        e.put("code", code);
        e.put("message", message);
        return root.toString();
    }

    /** Login-with-Amazon token answer. */
    static String lwaToken(String accessToken, int expiresIn) {
        return "{\"access_token\":\"" + accessToken + "\",\"refresh_token\":\"Atzr|refresh\",\"token_type\":\"bearer\","
                + "\"expires_in\":" + expiresIn + "}";
    }
}
