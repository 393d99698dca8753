package dev.caravan.integrations.channel;

/**
 * What a channel answered for a message that it accepted.
 *
 * @param providerMessageId the provider's id (SMTP Message-ID, WhatsApp {@code wamid...}, eBay message id), or null
 * @param delivered         true when acceptance means delivery (the inbox); false when it only means "sent"
 */
public record ChannelReceipt(String providerMessageId, boolean delivered) {
}
