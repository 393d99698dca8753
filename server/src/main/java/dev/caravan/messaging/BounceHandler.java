package dev.caravan.messaging;

import java.time.Clock;
import java.time.Instant;

import dev.caravan.integrations.channel.BounceSink;
import dev.caravan.integrations.channel.MailBounce;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Bounces read from the bounce mailbox: a permanent one (5.x.x) marks the message bounced and blocks the address for
 * future e-mail; a delay notice (4.x.x) is only logged, since the relay keeps trying.
 */
@Component
class BounceHandler implements BounceSink {

    private static final Logger log = LoggerFactory.getLogger(BounceHandler.class);

    private final OutboxStore store;
    private final MessageEvents events;
    private final AddressBook addresses;
    private final MessageHistories histories;
    private final Clock clock;

    BounceHandler(OutboxStore store, MessageEvents events, AddressBook addresses, MessageHistories histories, Clock clock) {
        this.store = store;
        this.events = events;
        this.addresses = addresses;
        this.histories = histories;
        this.clock = clock;
    }

    @Override
    public void bounced(MailBounce b) {
        if (!b.permanent()) {
            log.info("Delivery of message {} to {} is delayed ({})", b.messageId(), b.recipient(), b.status());
            return;
        }
        Instant now = clock.instant();
        Reason reason = new Reason(Reason.BOUNCED, "bounced " + (b.status() == null ? "" : b.status() + " ")
                + (b.diagnostic() == null ? "" : b.diagnostic()));
        store.receipt(b.messageId(), MessageStatus.BOUNCED, reason, now, now).ifPresent(before -> {
            events.changed(before, before.status(), MessageStatus.BOUNCED, reason, now);
            String address = b.recipient() != null ? b.recipient() : before.getRecipient();
            if (address != null) addresses.suppress(Channel.EMAIL, address, reason.message(), now, before.getId());
            if (before.purpose() == Purpose.MARKETING) histories.release(before.getCustomerId(), before.getId());
        });
    }
}
