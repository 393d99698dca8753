package dev.caravan.connector;

import java.time.Instant;
import java.util.List;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bodies shaped exactly as eBay's Sell Fulfillment contract ({@code sell_fulfillment_v1_oas3.json}):
 * OrderSearchPagedCollection with Order, Buyer, LineItem, PricingSummary, PaymentSummary... as declared there.
 * {@link StubContractsTest} validates them against the contract.
 */
public final class EbayStubs {

    private EbayStubs() {
    }

    static ObjectNode amount(ObjectNode parent, String field, String value, String currency) {
        ObjectNode a = parent.putObject(field);
        a.put("value", value);
        a.put("currency", currency);
        return a;
    }

    public static ObjectNode order(String id, Instant created, Instant modified, String fulfilment, String payment,
                            String username, String email, String phone, String country, String unitPrice,
                            int quantity, String currency) {
        ObjectNode o = Contracts.JSON.createObjectNode();
        o.put("orderId", id);
        o.put("creationDate", created.toString());
        o.put("lastModifiedDate", modified.toString());
        o.put("orderFulfillmentStatus", fulfilment);
        o.put("orderPaymentStatus", payment);
        o.put("sellerId", "caravan_seller");
        ObjectNode buyer = o.putObject("buyer");
        buyer.put("username", username);
        ObjectNode reg = buyer.putObject("buyerRegistrationAddress");
        reg.put("fullName", "Buyer " + username);
        if (email != null) reg.put("email", email);
        if (phone != null) reg.putObject("primaryPhone").put("phoneNumber", phone);
        ObjectNode contact = reg.putObject("contactAddress");
        contact.put("addressLine1", "Hauptstr. 1");
        contact.put("city", "Berlin");
        contact.put("postalCode", "10115");
        contact.put("countryCode", country);
        java.math.BigDecimal line = new java.math.BigDecimal(unitPrice).multiply(java.math.BigDecimal.valueOf(quantity));
        ObjectNode pricing = o.putObject("pricingSummary");
        amount(pricing, "priceSubtotal", line.toPlainString(), currency);
        amount(pricing, "deliveryCost", "0.00", currency);
        amount(pricing, "total", line.toPlainString(), currency);
        ObjectNode cancel = o.putObject("cancelStatus");
        cancel.put("cancelState", "NONE_REQUESTED");
        cancel.putArray("cancelRequests");
        ObjectNode paymentSummary = o.putObject("paymentSummary");
        ObjectNode p = paymentSummary.putArray("payments").addObject();
        p.put("paymentMethod", "EBAY");
        p.put("paymentReferenceId", "PAY-" + id);
        p.put("paymentDate", created.toString());
        amount(p, "amount", line.toPlainString(), currency);
        p.put("paymentStatus", "PAID");
        paymentSummary.putArray("refunds");
        amount(paymentSummary, "totalDueSeller", line.toPlainString(), currency);
        ObjectNode instruction = o.putArray("fulfillmentStartInstructions").addObject();
        instruction.put("fulfillmentInstructionsType", "SHIP_TO");
        instruction.put("minEstimatedDeliveryDate", created.plusSeconds(3 * 86400).toString());
        instruction.put("maxEstimatedDeliveryDate", created.plusSeconds(6 * 86400).toString());
        instruction.put("ebaySupportedFulfillment", false);
        ObjectNode step = instruction.putObject("shippingStep");
        step.put("shippingCarrierCode", "DHL");
        step.put("shippingServiceCode", "DE_DHLPaket");
        ObjectNode shipTo = step.putObject("shipTo");
        shipTo.put("fullName", "Buyer " + username);
        ObjectNode shipAddress = shipTo.putObject("contactAddress");
        shipAddress.put("addressLine1", "Hauptstr. 1");
        shipAddress.put("city", "Berlin");
        shipAddress.put("postalCode", "10115");
        shipAddress.put("countryCode", country);
        ObjectNode li = o.putArray("lineItems").addObject();
        li.put("lineItemId", "LI-" + id);
        li.put("legacyItemId", "1100" + Math.abs(id.hashCode() % 1000));
        li.put("sku", "EB-" + id);
        li.put("title", "eBay item " + id);
        amount(li, "lineItemCost", line.toPlainString(), currency);
        li.put("quantity", quantity);
        li.put("soldFormat", "FIXED_PRICE");
        li.put("listingMarketplaceId", "EBAY_DE");
        li.put("purchaseMarketplaceId", "EBAY_DE");
        li.put("lineItemFulfillmentStatus", fulfilment);
        amount(li, "total", line.toPlainString(), currency);
        ObjectNode delivery = li.putObject("deliveryCost");
        amount(delivery, "shippingCost", "0.00", currency);
        li.putArray("appliedPromotions");
        li.putArray("taxes");
        li.putArray("refunds");
        ObjectNode props = li.putObject("properties");
        props.put("buyerProtection", true);
        ObjectNode fi = li.putObject("lineItemFulfillmentInstructions");
        fi.put("guaranteedDelivery", false);
        fi.put("shipByDate", created.plusSeconds(2 * 86400).toString());
        o.put("salesRecordReference", "1234");
        amount(o, "totalFeeBasisAmount", line.toPlainString(), currency);
        amount(o, "totalMarketplaceFee", "1.00", currency);
        return o;
    }

    /** Marks a refund on the order as eBay reports it in paymentSummary.refunds. */
    static void refund(ObjectNode order, String refundId, String value, String currency, Instant at) {
        ObjectNode r = ((ArrayNode) order.get("paymentSummary").get("refunds")).addObject();
        r.put("refundId", refundId);
        r.put("refundStatus", "REFUNDED");
        r.put("refundDate", at.toString());
        r.put("refundReferenceId", "REF-" + refundId);
        amount(r, "amount", value, currency);
        order.put("orderPaymentStatus", "PARTIALLY_REFUNDED");
    }

    public static String page(String href, List<ObjectNode> orders, int offset, int limit, int total, String next) {
        ObjectNode root = Contracts.JSON.createObjectNode();
        root.put("href", href);
        root.put("limit", limit);
        if (next != null) root.put("next", next);
        root.put("offset", offset);
        ArrayNode list = root.putArray("orders");
        orders.forEach(list::add);
        root.put("total", total);
        return root.toString();
    }

    public static String token(String accessToken, int expiresIn) {
        return "{\"access_token\":\"" + accessToken + "\",\"expires_in\":" + expiresIn
                + ",\"token_type\":\"User Access Token\"}";
    }
}
