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
        // the consent ledger: every change, append-only, newest first (channel, purpose, granted, source = evidence)
        List<ConsentLedgerEntry> ledger = consents.ledger(customerId);
        out.put("consentLedger", ledger.stream().sorted(Comparator.comparing(ConsentLedgerEntry::at).reversed())
                .limit(LEDGER_IN_VIEW).toList());
        out.put("consentLedgerTotal", ledger.size());
        List<MessageHistories.Recent> recent = histories.of(customerId).recent();
        out.put("recentMessages", recent.stream().sorted(Comparator.comparing(MessageHistories.Recent::at).reversed())
                .limit(10).toList());
        return out;
    }

    static final int LEDGER_IN_VIEW = 50;

    @Override
    public List<TimelineEntry> timeline(String customerId, Instant before, int limit) {
        List<TimelineEntry> sent = sentTimeline(customerId, before, limit);
        List<TimelineEntry> ledger = consents.ledger(customerId).stream()
                .filter(e -> e.at() != null && (before == null || e.at().isBefore(before)))
                .sorted(Comparator.comparing(ConsentLedgerEntry::at).reversed())
                .limit(limit)
                .map(MessageRecords::consentEntry).toList();
        List<TimelineEntry> all = new java.util.ArrayList<>(sent);
        all.addAll(ledger);
        return all;
    }

    private static TimelineEntry consentEntry(ConsentLedgerEntry e) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("channel", e.channel());
        details.put("purpose", e.purpose());
        details.put("granted", e.granted());
        if (e.previous() != null) details.put("previous", e.previous());
        if (e.source() != null) details.put("source", e.source());
        if (e.actor() != null) details.put("actor", e.actor());
        if (e.messageId() != null) details.put("messageId", e.messageId());
        if (e.evidence() != null) details.put("evidence", e.evidence());
        String summary = (e.granted() ? "Consent granted: " : "Consent withdrawn: ") + e.purpose() + " " + e.channel()
                + (e.source() == null || e.source().isBlank() ? "" : " (" + e.source() + ")")
                + (e.actor() == null ? "" : " by " + e.actor());
        return new TimelineEntry(e.at(), "consent", summary, e.id(), details);
    }

    private List<TimelineEntry> sentTimeline(String customerId, Instant before, int limit) {
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
