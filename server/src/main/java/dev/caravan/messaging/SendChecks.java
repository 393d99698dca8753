package dev.caravan.messaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.caravan.customer.Customer;
import dev.caravan.messaging.template.MessageTemplate;
import org.springframework.stereotype.Component;

/**
 * The checks every message passes, at request time (to decide) and again at send time (the world may have changed:
 * an unsubscribe between queueing and sending stops the message), in this order:
 * <ol>
 *   <li>channel policy, static: the channel cannot carry the purpose (Amazon/eBay marketing)</li>
 *   <li>consent for the channel and purpose</li>
 *   <li>channel policy for this customer: address, hard bounces, WhatsApp 24-hour window, Amazon order</li>
 *   <li>global frequency cap across all channels (marketing)</li>
 *   <li>quiet hours in the customer's time zone and holidays (marketing): deferred, not dropped</li>
 * </ol>
 * Per-channel rate limits come last, when the consumer sends ({@link ChannelRateLimits}).
 */
@Component
class SendChecks {

    /** What to do with a message now. */
    record Decision(MessageStatus status, Reason reason, Instant dueAt, List<SendCheck.Step> steps,
                    ChannelPolicy.Recipient recipient, MessageHistories.History history) {

        Decision(MessageStatus status, Reason reason, Instant dueAt, List<SendCheck.Step> steps,
                 ChannelPolicy.Recipient recipient) {
            this(status, reason, dueAt, steps, recipient, null);
        }

        SendCheck asCheck() {
            String outcome = status == MessageStatus.QUEUED ? "send" : status == MessageStatus.DEFERRED ? "defer" : "suppress";
            return new SendCheck(status == MessageStatus.QUEUED, outcome, reason,
                    status == MessageStatus.DEFERRED ? dueAt : null, steps);
        }
    }

    private final ConsentService consents;
    private final ChannelPolicy policy;
    private final MessageHistories histories;
    private final DeliveryWindow window;
    private final MessagingProperties props;

    SendChecks(ConsentService consents, ChannelPolicy policy, MessageHistories histories, DeliveryWindow window,
               MessagingProperties props) {
        this.consents = consents;
        this.policy = policy;
        this.histories = histories;
        this.window = window;
        this.props = props;
    }

    Decision evaluate(Customer c, Channel channel, Purpose purpose, MessageTemplate template,
                      Map<String, Object> params, String messageId, Instant now) {
        return evaluate(c, channel, purpose, template, params, messageId, now, null);
    }

    /**
     * @param knownHistory the customer's send history as read a moment ago (null: read it now): read with the rest of
     *                     a batch of requests (the request-time decision, which the send-time checks repeat), or the
     *                     one a handed-over message was queued on — then the caller writes the cap reservation
     *                     conditionally on this very version, so a stale copy can only make that write fail, never
     *                     let a message through, and re-evaluates anything but "send" with a fresh read.
     */
    Decision evaluate(Customer c, Channel channel, Purpose purpose, MessageTemplate template,
                      Map<String, Object> params, String messageId, Instant now, MessageHistories.History knownHistory) {
        List<SendCheck.Step> steps = new ArrayList<>();
        Reason r = policy.staticRefusal(channel, purpose);
        if (r != null) {
            steps.add(new SendCheck.Step(Reason.CHANNEL_POLICY, false, r.message()));
            return new Decision(MessageStatus.SUPPRESSED, r, null, steps, null);
        }
        r = consents.check(c, channel, purpose);
        steps.add(new SendCheck.Step(Reason.CONSENT, r == null, r == null ? purpose.id() + " " + channel.id() + " allowed"
                : r.message()));
        if (r != null) return new Decision(MessageStatus.SUPPRESSED, r, null, steps, null);

        ChannelPolicy.Target target = policy.target(c, channel, template, params, now);
        steps.add(new SendCheck.Step(Reason.CHANNEL_POLICY, target.refusal() == null, target.refusal() == null
                ? "to " + target.recipient().address() : target.refusal().message()));
        if (target.refusal() != null) return new Decision(MessageStatus.SUPPRESSED, target.refusal(), null, steps, null);

        if (purpose == Purpose.TRANSACTIONAL) {
            steps.add(new SendCheck.Step(Reason.FREQUENCY_CAP, true, "transactional messages are not capped"));
            steps.add(new SendCheck.Step(Reason.QUIET_HOURS, true, "transactional messages go out at once"));
            return new Decision(MessageStatus.QUEUED, null, now, steps, target.recipient());
        }

        MessagingProperties.FrequencyCap cap = props.frequencyCap();
        MessageHistories.History h = null;
        if (cap.maxMarketing() > 0) {
            h = knownHistory != null && knownHistory.customerId().equals(c.getId()) ? knownHistory
                    : histories.of(c.getId());
            boolean holds = messageId != null && h.marketing().stream().anyMatch(s -> s.m().equals(messageId));
            long used = h.marketing().stream().filter(s -> s.at().isAfter(now.minus(cap.window()))).count();
            if (!holds && used >= cap.maxMarketing()) {
                Reason capped = new Reason(Reason.FREQUENCY_CAP, "the customer already received " + used
                        + " marketing message(s) in the last " + human(cap.window()) + " across all channels (limit "
                        + cap.maxMarketing() + ")");
                steps.add(new SendCheck.Step(Reason.FREQUENCY_CAP, false, capped.message()));
                if ("defer".equalsIgnoreCase(cap.action())) {
                    return new Decision(MessageStatus.DEFERRED, capped,
                            histories.nextFreeSlot(c.getId(), now, cap.window()), steps, target.recipient());
                }
                return new Decision(MessageStatus.SUPPRESSED, capped, null, steps, null);
            }
            steps.add(new SendCheck.Step(Reason.FREQUENCY_CAP, true, used + " of " + cap.maxMarketing() + " in the last "
                    + human(cap.window())));
        } else {
            steps.add(new SendCheck.Step(Reason.FREQUENCY_CAP, true, "no cap configured"));
        }

        DeliveryWindow.Deferral later = window.next(c, now, template != null && template.sendOnHolidays());
        if (later != null) {
            steps.add(new SendCheck.Step(later.reason().code(), false, later.reason().message()));
            return new Decision(MessageStatus.DEFERRED, later.reason(), later.until(), steps, target.recipient());
        }
        steps.add(new SendCheck.Step(Reason.QUIET_HOURS, true, "outside quiet hours in " + window.zoneOf(c).getId()));
        return new Decision(MessageStatus.QUEUED, null, now, steps, target.recipient(), h);
    }

    private static String human(java.time.Duration d) {
        if (d.toDays() > 0 && d.toHours() % 24 == 0) return d.toDays() == 1 ? "24 hours" : d.toDays() + " days";
        if (d.toHours() > 0 && d.toMinutes() % 60 == 0) return d.toHours() + " hours";
        return d.toMinutes() + " minutes";
    }
}
