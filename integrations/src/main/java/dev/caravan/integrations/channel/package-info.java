/**
 * Message channels as Camel routes: e-mail over SMTP (camel-mail), the WhatsApp Business Cloud API
 * (camel-whatsapp), Amazon SP-API Messaging and the eBay message API (camel-http), and the in-site inbox (a sink
 * the server provides). {@link dev.caravan.integrations.channel.ChannelRoutes} registers one {@code direct:}
 * endpoint per channel ({@link dev.caravan.integrations.channel.ChannelEndpoints}); callers put the channel's
 * payload record in the body and get a {@link dev.caravan.integrations.channel.ChannelReceipt} back, or an
 * exception that {@link dev.caravan.integrations.channel.ChannelFailures#classify(Throwable)} turns into a
 * transient, permanent or bounce {@link dev.caravan.integrations.channel.ChannelException}.
 * Nothing here decides whether a message may be sent: consent, policies, caps and retries live in the server.
 */
package dev.caravan.integrations.channel;
