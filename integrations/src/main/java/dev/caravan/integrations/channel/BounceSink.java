package dev.caravan.integrations.channel;

/** Receives bounces read from the bounce mailbox; provided by the server. */
@FunctionalInterface
public interface BounceSink {

    void bounced(MailBounce bounce);
}
