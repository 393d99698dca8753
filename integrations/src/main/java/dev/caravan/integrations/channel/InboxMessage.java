package dev.caravan.integrations.channel;

/** A message for the storefront's in-site inbox of one customer. */
public record InboxMessage(String messageId, String customerId, String title, String body, String link,
                           String template) {
}
