package dev.caravan.messaging;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import dev.caravan.customer.Customer;
import dev.caravan.customer.PlatformIdentity;
import dev.caravan.messaging.template.MessageTemplate;
import dev.caravan.messaging.template.RenderedMessage;
import dev.caravan.order.Order;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * What each channel allows, independent of the customer's consent:
 * <ul>
 *   <li>Amazon buyer-seller messaging carries only order-related messages of the permitted types, never marketing,
 *       plain text without HTML or e-mail addresses, at most 2000 characters, about one order.</li>
 *   <li>eBay member messages must concern a transaction: no marketing.</li>
 *   <li>WhatsApp free-form text only inside the 24-hour customer-service window; otherwise an approved template.</li>
 *   <li>Every channel needs an address (e-mail, phone, order, eBay user) that has not hard-bounced.</li>
 * </ul>
 */
@Component
class ChannelPolicy {

    /** Where a message goes: the address, plus channel-specific routing data. */
    record Recipient(String address, String name, Map<String, String> extra) {
    }

    /** Either a recipient or the reason there is none. */
    record Target(Recipient recipient, Reason refusal) {
        static Target of(Recipient r) { return new Target(r, null); }
        static Target refused(String code, String message) { return new Target(null, new Reason(code, message)); }
    }

    private static final Pattern AMAZON_ORDER_ID = Pattern.compile("^\\d{3}-\\d{7}-\\d{7}$");
    private static final Pattern AMAZON_MARKETPLACE_ID = Pattern.compile("^A[A-Z0-9]{9,15}$");
    private static final Pattern HTML = Pattern.compile("<\\s*/?\\s*[a-zA-Z][^>]*>");
    private static final Pattern EMAIL = Pattern.compile("[^\\s@<>]+@[^\\s@<>]+\\.[a-zA-Z]{2,}");

    private final MongoTemplate mongo;
    private final AddressBook addresses;
    private final MessagingProperties props;

    ChannelPolicy(MongoTemplate mongo, AddressBook addresses, MessagingProperties props) {
        this.mongo = mongo;
        this.addresses = addresses;
        this.props = props;
    }

    /** Refusals that hold for every customer: the channel cannot carry this purpose at all. */
    Reason staticRefusal(Channel channel, Purpose purpose) {
        if (purpose == Purpose.MARKETING && channel == Channel.AMAZON) {
            return new Reason(Reason.CHANNEL_POLICY, "Amazon buyer-seller messaging permits only order-related messages "
                    + "of the permitted types (Amazon Communication Guidelines); marketing and promotional messages "
                    + "are not allowed");
        }
        if (purpose == Purpose.MARKETING && channel == Channel.EBAY) {
            return new Reason(Reason.CHANNEL_POLICY, "eBay member-to-member messages must concern a transaction "
                    + "(eBay member-to-member contact policy); marketing messages are not allowed");
        }
        return null;
    }

    /** The recipient for this customer on this channel, or why there is none. */
    Target target(Customer c, Channel channel, MessageTemplate template, Map<String, Object> params, Instant now) {
        switch (channel) {
            case EMAIL -> {
                if (c.getEmails().isEmpty()) {
                    return Target.refused(Reason.NO_ADDRESS, "the customer has no e-mail address");
                }
                for (String email : c.getEmails()) {
                    if (!addresses.isSuppressed(Channel.EMAIL, email)) {
                        return Target.of(new Recipient(email, c.name(), Map.of()));
                    }
                }
                return Target.refused(Reason.BOUNCED, "every e-mail address of the customer has hard-bounced");
            }
            case WHATSAPP -> {
                String phone = c.getPhones().stream().filter(p -> !addresses.isSuppressed(Channel.WHATSAPP, p))
                        .findFirst().orElse(null);
                if (phone == null) {
                    return Target.refused(Reason.NO_ADDRESS, c.getPhones().isEmpty() ? "the customer has no phone number"
                            : "no phone number of the customer can receive WhatsApp messages");
                }
                if (template != null && !template.whatsAppTemplate()
                        && !addresses.insideServiceWindow(phone, now, props.whatsappSessionWindow())) {
                    return Target.refused(Reason.CHANNEL_POLICY, "free-form WhatsApp text is allowed only within "
                            + props.whatsappSessionWindow().toHours() + " hours of the customer's last message; "
                            + "use an approved template");
                }
                return Target.of(new Recipient(phone, c.name(), Map.of()));
            }
            case AMAZON -> {
                return amazon(c, params);
            }
            case EBAY -> {
                String conversation = string(params.get("conversationId"));
                String user = c.getIdentities().stream().filter(i -> "ebay".equalsIgnoreCase(i.platform()))
                        .map(PlatformIdentity::buyerId).findFirst().orElse(null);
                if (conversation == null && user == null) {
                    return Target.refused(Reason.NO_ADDRESS, "the customer has no eBay user name and no conversationId was given");
                }
                Map<String, String> extra = new LinkedHashMap<>();
                if (conversation != null) extra.put("conversationId", conversation);
                if (string(params.get("listingId")) != null) extra.put("listingId", string(params.get("listingId")));
                return Target.of(new Recipient(user == null ? conversation : user, c.name(), extra));
            }
            case INBOX -> {
                return Target.of(new Recipient(c.getId(), c.name(), Map.of()));
            }
            default -> throw new IllegalStateException();
        }
    }

    private Target amazon(Customer c, Map<String, Object> params) {
        String orderRef = string(params.get("orderId"));
        if (orderRef == null) orderRef = string(params.get("amazonOrderId"));
        if (orderRef == null) {
            return Target.refused(Reason.CHANNEL_POLICY, "Amazon messages must be about one order: give params.orderId");
        }
        String amazonOrderId = orderRef;
        String marketplace = string(params.get("marketplaceId"));
        Order order = mongo.findById(orderRef, Order.class);
        if (order != null) {
            if (!"amazon".equalsIgnoreCase(order.platform())) {
                return Target.refused(Reason.CHANNEL_POLICY, "order " + orderRef + " is not an Amazon order");
            }
            if (order.customerId() != null && !order.customerId().equals(c.getId())) {
                return Target.refused(Reason.CHANNEL_POLICY, "order " + orderRef + " belongs to another customer");
            }
            amazonOrderId = order.externalId();
            if (marketplace == null && order.storeId() != null && AMAZON_MARKETPLACE_ID.matcher(order.storeId()).matches()) {
                marketplace = order.storeId();
            }
        } else if (!AMAZON_ORDER_ID.matcher(orderRef).matches()) {
            return Target.refused(Reason.CHANNEL_POLICY, "'" + orderRef + "' is neither a stored order nor an Amazon order id");
        }
        if (marketplace == null) marketplace = props.amazon().defaultMarketplaceId();
        if (marketplace == null || marketplace.isBlank()) {
            return Target.refused(Reason.NO_ADDRESS, "no Amazon marketplace id: give params.marketplaceId or set "
                    + "caravan.messaging.amazon.default-marketplace-id");
        }
        return Target.of(new Recipient(amazonOrderId, c.name(), Map.of("marketplaceId", marketplace)));
    }

    /** Rules on the rendered content (Amazon: plain text, no e-mail addresses, 2000 characters; eBay: 2000). */
    Reason afterRender(Channel channel, RenderedMessage r) {
        if (channel == Channel.AMAZON) {
            String text = r.text() == null ? "" : r.text();
            if (text.isBlank()) return new Reason(Reason.CHANNEL_POLICY, "Amazon messages need text");
            if (text.length() > 2000) return new Reason(Reason.CHANNEL_POLICY, "Amazon messages are limited to 2000 characters");
            if (HTML.matcher(text).find()) return new Reason(Reason.CHANNEL_POLICY, "Amazon messages may not contain HTML");
            if (EMAIL.matcher(text).find()) return new Reason(Reason.CHANNEL_POLICY, "Amazon messages may not contain e-mail addresses");
        }
        if (channel == Channel.EBAY && r.text() != null && r.text().length() > 2000) {
            return new Reason(Reason.CHANNEL_POLICY, "eBay messages are limited to 2000 characters");
        }
        return null;
    }

    private static String string(Object o) {
        return o == null || o.toString().isBlank() ? null : o.toString().trim();
    }
}
