package dev.caravan.messaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.caravan.customer.ErasureContext;
import dev.caravan.customer.ErasureResult;
import dev.caravan.customer.PersonalDataHolder;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Messaging in data-subject requests: messages (the outbox), send histories, the in-site inbox, consents and their
 * ledger, suppressed addresses and WhatsApp sessions. Erasure runs early (after journeys): queued and deferred
 * messages are suppressed with reason {@code erased} before anything else changes, so the outbox never sends them;
 * every message keeps channel, template, status, times, conversions and attributed revenue (channel and journey
 * reports still add up) but loses its recipient, parameters and history lines. Send histories, inbox, consents,
 * the consent ledger, suppressions of the person's addresses and their WhatsApp sessions are deleted.
 */
@Component
class MessagingPersonalData implements PersonalDataHolder {

    static final String ERASED = "erased";

    private final MongoTemplate mongo;
    private final ConsentService consents;
    private final AddressBook addressBook;

    MessagingPersonalData(MongoTemplate mongo, ConsentService consents, AddressBook addressBook) {
        this.mongo = mongo;
        this.consents = consents;
        this.addressBook = addressBook;
    }

    @Override
    public String section() {
        return "messaging";
    }

    @Override
    public int erasureOrder() {
        return 20;
    }

    @Override
    public Object export(String customerId) {
        Map<String, Object> out = new LinkedHashMap<>();
        Query q = Query.query(Criteria.where("customerId").is(customerId)).with(Sort.by("createdAt"));
        out.put("messages", mongo.find(q, OutboxMessage.class).stream().map(MessageView::of).toList());
        ConsentService.TransactionalConsents t = mongo.findById(customerId, ConsentService.TransactionalConsents.class);
        out.put("transactionalConsents", t == null || t.transactional() == null ? Map.of() : t.transactional());
        out.put("consentLedger", mongo.find(Query.query(Criteria.where("customerId").is(customerId))
                .with(Sort.by("at", "_id")), ConsentLedgerEntry.class));
        InboxStore.Inbox inbox = mongo.findById(customerId, InboxStore.Inbox.class);
        out.put("inbox", inbox == null ? List.of() : inbox.items());
        return out;
    }

    @Override
    public ErasureResult erase(ErasureContext ctx) {
        ErasureResult.Builder r = ErasureResult.builder();
        Criteria mine = Criteria.where("customerId").in(ctx.customerIds());
        Reason erased = new Reason(ERASED, "the customer's personal data was erased");
        long cancelled = mongo.updateMulti(Query.query(new Criteria().andOperator(mine, Criteria.where("pending").is(true))),
                new Update().set("status", MessageStatus.SUPPRESSED.name()).set("pending", false)
                        .set("reason", erased).set("suppressedAt", ctx.at()).set("updatedAt", ctx.at())
                        .unset("leaseOwner").unset("leaseUntil"), OutboxMessage.class).getModifiedCount();
        r.count("messagesCancelled", cancelled);
        long anonymised = mongo.updateMulti(Query.query(mine), new Update().unset("recipient").unset("params")
                .unset("lastError").unset("providerMessageId").set("history", List.of()), OutboxMessage.class)
                .getModifiedCount();
        r.count("messagesAnonymised", anonymised);
        Query byId = Query.query(Criteria.where("_id").in(ctx.customerIds()));
        r.count("sendHistoriesDeleted", mongo.remove(byId, MessageHistories.History.class).getDeletedCount());
        r.count("inboxesDeleted", mongo.remove(Query.of(byId), InboxStore.Inbox.class).getDeletedCount());
        r.count("transactionalConsentsDeleted", mongo.remove(Query.of(byId),
                ConsentService.TransactionalConsents.class).getDeletedCount());
        r.count("consentLedgerDeleted", mongo.remove(Query.query(Criteria.where("customerId").in(ctx.customerIds())),
                ConsentLedgerEntry.class).getDeletedCount());

        Set<String> addresses = new LinkedHashSet<>();
        for (Channel channel : Channel.values()) {
            ctx.emails().forEach(e -> addresses.add(addressBook.key(channel, e)));
            ctx.phones().forEach(p -> addresses.add(addressBook.key(channel, p)));
        }
        List<String> suppressed = new ArrayList<>(addresses);
        for (AddressBook.SuppressedAddress a : mongo.find(new Query(), AddressBook.SuppressedAddress.class)) {
            if (!addresses.contains(a.key()) && ctx.mentions(a.key())) suppressed.add(a.key());
        }
        r.count("suppressedAddressesDeleted", suppressed.isEmpty() ? 0 : mongo.remove(
                Query.query(Criteria.where("_id").in(suppressed)), AddressBook.SuppressedAddress.class).getDeletedCount());
        List<String> waIds = ctx.phones().stream().map(p -> addressBook.sessionKey(AddressBook.waId(p))).toList();
        r.count("whatsappSessionsDeleted", waIds.isEmpty() ? 0 : mongo.remove(
                Query.query(Criteria.where("_id").in(waIds)), AddressBook.WhatsAppSession.class).getDeletedCount());
        return r.note("queued messages are suppressed (reason 'erased') and never sent; sent messages keep channel, "
                + "template, status, times and attributed revenue without recipient or parameters; the consent "
                + "ledger is deleted with the person (the erasure record proves the request)").build();
    }
}
