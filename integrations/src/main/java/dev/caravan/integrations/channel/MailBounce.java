package dev.caravan.integrations.channel;

/**
 * A delivery status notification read from the bounce mailbox.
 *
 * @param messageId the id the server gave the original message (from its X-Caravan-Message-Id or Message-ID), or null
 * @param status    the enhanced status code, e.g. {@code 5.1.1}
 * @param permanent true for a failed delivery (5.x.x), false for a delay (4.x.x)
 */
public record MailBounce(String messageId, String recipient, String action, String status, boolean permanent,
                         String diagnostic) {
}
