package dev.caravan.integrations.channel;

/** The endpoints {@link ChannelRoutes} consumes; send the channel's payload record to one of them. */
public final class ChannelEndpoints {

    /** Body: {@link EmailMessage}. */
    public static final String EMAIL = "direct:caravan-channel-email";
    /** Body: {@link WhatsAppMessage}. */
    public static final String WHATSAPP = "direct:caravan-channel-whatsapp";
    /** Body: {@link AmazonMessage}. */
    public static final String AMAZON = "direct:caravan-channel-amazon";
    /** Body: {@link EbayMessage}. */
    public static final String EBAY = "direct:caravan-channel-ebay";
    /** Body: {@link InboxMessage}. */
    public static final String INBOX = "direct:caravan-channel-inbox";

    private ChannelEndpoints() {
    }
}
