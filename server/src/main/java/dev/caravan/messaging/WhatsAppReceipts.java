package dev.caravan.messaging;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * WhatsApp delivery and read receipts: maps WhatsApp message ids ({@code wamid...}) to our messages by id, and keeps
 * receipts that arrive before our own "sent" write (the webhook can be faster than we are) until it happens.
 */
@Component
class WhatsAppReceipts {

    @Document("whatsapp_message_ids")
    record Mapping(@MongoId(FieldType.STRING) String wamid, String messageId) {
    }

    record Pending(String status, Instant at, String code, String detail) {
    }

    @Document("whatsapp_early_receipts")
    record Early(@MongoId(FieldType.STRING) String wamid, List<Pending> receipts) {
    }

    private final MongoTemplate mongo;
    private final OutboxStore store;
    private final MessageEvents events;
    private final AddressBook addresses;
    private final Clock clock;

    WhatsAppReceipts(MongoTemplate mongo, OutboxStore store, MessageEvents events, AddressBook addresses, Clock clock) {
        this.mongo = mongo;
        this.store = store;
        this.events = events;
        this.addresses = addresses;
        this.clock = clock;
    }

    void sent(String wamid, String messageId) {
        try {
            mongo.insert(new Mapping(wamid, messageId));
        } catch (DuplicateKeyException ignored) {
            // a resend after a crash got the same id; nothing to do
        }
        Early early = mongo.findAndRemove(Query.query(Criteria.where("_id").is(wamid)), Early.class);
        if (early != null) {
            early.receipts().forEach(p -> apply(messageId, p));
        }
    }

    /** A status from the webhook: {@code sent}, {@code delivered}, {@code read} or {@code failed}. */
    void status(String wamid, String status, Instant at, String code, String detail) {
        Pending p = new Pending(status, at, code, detail);
        Mapping m = mongo.findById(wamid, Mapping.class);
        if (m == null) {
            mongo.upsert(Query.query(Criteria.where("_id").is(wamid)), new Update().push("receipts", p), Early.class);
            return;
        }
        apply(m.messageId(), p);
    }

    private void apply(String messageId, Pending p) {
        MessageStatus status;
        Reason reason = null;
        switch (p.status()) {
            case "delivered" -> status = MessageStatus.DELIVERED;
            case "read" -> status = MessageStatus.READ;
            case "failed" -> {
                boolean unreachable = "131026".equals(p.code()) || "131030".equals(p.code());
                status = unreachable ? MessageStatus.BOUNCED : MessageStatus.FAILED;
                reason = new Reason(unreachable ? Reason.BOUNCED : Reason.FAILED, "WhatsApp reported failure "
                        + (p.code() == null ? "" : p.code() + " ") + (p.detail() == null ? "" : p.detail()));
            }
            default -> {
                return; // "sent" adds nothing to what we know
            }
        }
        Instant now = clock.instant();
        Reason r = reason;
        store.receipt(messageId, status, reason, p.at() == null ? now : p.at(), now).ifPresent(before -> {
            events.changed(before, before.status(), status, r, now);
            if (status == MessageStatus.BOUNCED && before.getRecipient() != null) {
                addresses.suppress(Channel.WHATSAPP, before.getRecipient(), r.message(), now, messageId);
            }
        });
    }

    List<String> pendingIds() {
        List<String> out = new ArrayList<>();
        mongo.findAll(Early.class).forEach(e -> out.add(e.wamid()));
        return out;
    }
}
