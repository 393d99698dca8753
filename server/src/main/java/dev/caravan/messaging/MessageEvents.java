package dev.caravan.messaging;

import java.time.Instant;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/** Publishes {@link MessageStatusChanged} after a status was stored. */
@Component
class MessageEvents {

    private final ApplicationEventPublisher publisher;

    MessageEvents(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    void changed(OutboxMessage m, MessageStatus previous, MessageStatus status, Reason reason, Instant at) {
        publisher.publishEvent(new MessageStatusChanged(m.getId(), m.getCustomerId(), m.getChannel(), m.getTemplate(),
                m.getPurpose(), status.id(), previous == null ? null : previous.id(),
                reason == null ? null : reason.code(), reason == null ? null : reason.message(), m.getJourneyId(),
                m.getJourneyInstanceId(), m.getStepId(), m.getCampaignId(), at));
    }
}
