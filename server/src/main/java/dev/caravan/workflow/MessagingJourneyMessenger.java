package dev.caravan.workflow;

import java.time.Instant;

import dev.caravan.messaging.MessageService;
import dev.caravan.messaging.MessagingProperties;
import dev.caravan.messaging.SendRequest;
import dev.caravan.messaging.template.TemplateStore;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Journeys send through the messaging pipeline: consent, channel policy, frequency cap, quiet hours and the
 * idempotency key (customer + instance + step) are applied there. A request messaging refuses (unknown template,
 * channel without an address...) becomes a blocked step with the reason, never a failed journey. The parameters
 * already are in the templates' vocabulary ({@link JourneyMessageParams}). (The nested result types of
 * {@link JourneyMessenger} shadow messaging's, hence the qualified names.)
 */
class MessagingJourneyMessenger implements JourneyMessenger {

    // Looked up when first used: messaging depends on the customer 360 view, which includes the journeys section.
    private final ObjectProvider<MessageService> messages;
    private final ObjectProvider<TemplateStore> templates;
    private final ObjectProvider<MessagingProperties> props;

    MessagingJourneyMessenger(ObjectProvider<MessageService> messages, ObjectProvider<TemplateStore> templates,
                              ObjectProvider<MessagingProperties> props) {
        this.messages = messages;
        this.templates = templates;
        this.props = props;
    }

    @Override
    public JourneyMessenger.SendResult send(MessageRequest r) {
        try {
            dev.caravan.messaging.SendResult result = messages.getObject().send(toSendRequest(r), "journey:" + r.journeyId());
            if ("suppressed".equals(result.status())) {
                return JourneyMessenger.SendResult.blocked(
                        result.reason() == null ? "suppressed" : result.reason().message(),
                        result.reason() == null ? "suppressed" : result.reason().code());
            }
            return JourneyMessenger.SendResult.sent(result.messageId());
        } catch (RuntimeException e) {
            return JourneyMessenger.SendResult.blocked(e.getMessage(), "invalid_request");
        }
    }

    @Override
    public JourneyMessenger.SendCheck check(MessageRequest r, Instant at) {
        try {
            dev.caravan.messaging.SendCheck check = messages.getObject().check(toSendRequest(r));
            String reason = check.reason() == null ? null : check.reason().message();
            String rule = check.reason() == null ? null : check.reason().code();
            return new JourneyMessenger.SendCheck(check.allowed(), check.deferUntil() == null ? at : check.deferUntil(),
                    reason, rule);
        } catch (RuntimeException e) {
            return new JourneyMessenger.SendCheck(false, at, e.getMessage(), "invalid_request");
        }
    }

    /** The language of the template messaging will pick (exact tag, same language, then its default language). */
    @Override
    public String templateLanguage(String template, String channel, String language) {
        try {
            return templates.getObject().resolve(template, channel, language, props.getObject().defaultLanguage())
                    .template().key().language();
        } catch (RuntimeException e) {
            return language; // unknown template or channel: messaging refuses the send with the reason
        }
    }

    private static SendRequest toSendRequest(MessageRequest r) {
        return SendRequest.builder().customerId(r.customerId()).channel(r.channel()).template(r.template())
                .purpose("service".equals(r.purpose()) ? "transactional" : r.purpose()).params(r.params())
                .language(r.language()).idempotencyKey(r.idempotencyKey()).journeyId(r.journeyId())
                .journeyInstanceId(r.instanceId()).stepId(r.stepId()).source("journey").build();
    }
}
