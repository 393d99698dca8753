package dev.caravan.messaging;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.customer.CustomerRecords;
import dev.caravan.customer.CustomerViewSection;
import dev.caravan.customer.TimelineEntry;
import dev.caravan.customer.TimelineSource;
import org.springframework.stereotype.Component;

/**
 * Messaging's part in the customer feature: messages, histories, inbox and consents follow merges; the 360 view
 * gets a {@code messaging} section (consents and recent messages); the timeline gets the messages that went out.
 * On unmerge, messages stay with the surviving customer (they do not carry identity keys).
 */
@Component
class MessageRecords implements CustomerRecords, CustomerViewSection, TimelineSource {

    private final OutboxStore store;
    private final MessageHistories histories;
    private final InboxStore inbox;
    private final ConsentService consents;

    MessageRecords(OutboxStore store, MessageHistories histories, InboxStore inbox, ConsentService consents) {
        this.store = store;
        this.histories = histories;
        this.inbox = inbox;
        this.consents = consents;
    }

    @Override
    public void reassign(String fromCustomerId, String toCustomerId) {
        store.reassign(fromCustomerId, toCustomerId);
        histories.reassign(fromCustomerId, toCustomerId);
        inbox.reassign(fromCustomerId, toCustomerId);
        consents.reassign(fromCustomerId, toCustomerId);
    }

    @Override
    public void reassignByIdentity(String fromCustomerId, Collection<String> identityKeys, String toCustomerId) {
        // messages are addressed to the profile, not to an identity: they stay with the survivor
    }

    @Override
    public String name() {
        return "messaging";
    }

    @Override
    public Object forCustomer(String customerId) {
        Map<String, Object> out = new LinkedHashMap<>();
        ConsentService.ConsentState state = consents.state(customerId);
        out.put("marketingConsents", state.marketing());
        out.put("transactionalConsents", state.transactional());
        List<MessageHistories.Recent> recent = histories.of(customerId).recent();
        out.put("recentMessages", recent.stream().sorted(Comparator.comparing(MessageHistories.Recent::at).reversed())
                .limit(10).toList());
        return out;
    }

    @Override
    public List<TimelineEntry> timeline(String customerId, Instant before, int limit) {
        return histories.of(customerId).recent().stream()
                .filter(r -> before == null || r.at().isBefore(before))
                .sorted(Comparator.comparing(MessageHistories.Recent::at).reversed())
                .limit(limit)
                .map(r -> {
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("channel", r.channel());
                    details.put("template", r.template());
                    details.put("purpose", r.purpose());
                    if (r.journeyId() != null) details.put("journeyId", r.journeyId());
                    if (r.campaignId() != null) details.put("campaignId", r.campaignId());
                    return new TimelineEntry(r.at(), "message", r.channel() + " message '" + r.template() + "' sent",
                            r.m(), details);
                }).toList();
    }
}
