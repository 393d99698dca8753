package dev.caravan.integrations.channel;

/**
 * A member message through the eBay message API ({@code POST /commerce/message/v1/send_message}): into an
 * existing conversation, or a new one with the buyer's eBay user name, optionally about a listing.
 */
public record EbayMessage(String conversationId, String otherPartyUsername, String text, String listingId) {

    public static final int MAX_TEXT = 2000;
}
