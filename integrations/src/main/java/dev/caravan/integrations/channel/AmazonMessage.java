package dev.caravan.integrations.channel;

import java.util.Set;

/**
 * A buyer-seller message through Amazon SP-API Messaging: always about one order, of one of the message types
 * Amazon permits ({@code POST /messaging/v1/orders/{amazonOrderId}/messages/{messageType}}).
 *
 * @param messageType the operation path, e.g. {@code unexpectedProblem}, {@code confirmDeliveryDetails}
 * @param text        plain text, 1 to 2000 characters, no HTML and no e-mail addresses (Amazon's rules)
 */
public record AmazonMessage(String amazonOrderId, String marketplaceId, String messageType, String text) {

    /** The text-only message operations of the Messaging API (v1) that this channel sends. */
    public static final Set<String> TEXT_MESSAGE_TYPES = Set.of("confirmCustomizationDetails",
            "confirmDeliveryDetails", "confirmOrderDetails", "confirmServiceDetails", "unexpectedProblem");

    public static final int MAX_TEXT = 2000;
}
