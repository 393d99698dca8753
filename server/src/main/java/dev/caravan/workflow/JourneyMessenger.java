package dev.caravan.workflow;

import java.time.Instant;
import java.util.Map;

/**
 * The journeys' port to messaging. Journeys decide what to say and when; the messaging feature decides whether it
 * may be sent (consent, frequency caps, quiet hours, suppression) and sends it: {@link MessagingJourneyMessenger}.
 * {@link StoringJourneyMessenger} is a stand-in that only records (set {@code caravan.workflows.messenger=store}).
 */
public interface JourneyMessenger {

    /**
     * @param idempotencyKey customer + journey instance + step: sending the same key twice sends once and returns
     *                       the first result
     * @param purpose        marketing, transactional or service (service and transactional need no marketing consent)
     * @param journeyId      the journey (workflow id), instance and step that send it, for stats and attribution
     */
    record MessageRequest(String customerId, String channel, String template, String purpose, String language,
                          Map<String, Object> params, String idempotencyKey, String journeyId, String instanceId,
                          String stepId) {
    }

    /**
     * @param sent      true when the message was accepted for delivery
     * @param messageId the messaging feature's id, when sent
     * @param reason    why it was not sent (no consent, frequency cap, no address...), else null
     * @param rule      the rule that blocked it, for the "why didn't this customer get this message" trace
     */
    record SendResult(boolean sent, String messageId, String reason, String rule) {

        public static SendResult sent(String messageId) {
            return new SendResult(true, messageId, null, null);
        }

        public static SendResult blocked(String reason, String rule) {
            return new SendResult(false, null, reason, rule);
        }
    }

    /** Answer to "would this be allowed, and when": {@code at} is the earliest allowed time (quiet hours shift it). */
    record SendCheck(boolean allowed, Instant at, String reason, String rule) {
    }

    SendResult send(MessageRequest request);

    /** Dry-runs: would this message be allowed at {@code at}, and when exactly. Nothing is stored or sent. */
    SendCheck check(MessageRequest request, Instant at);

    /**
     * The language the message will be written in: the template's best match for the customer's language (a
     * customer in a language without its own template reads the default language's). Journeys write dates, holiday
     * names and membership labels in it. By default the customer's language.
     */
    default String templateLanguage(String template, String channel, String language) {
        return language;
    }
}
