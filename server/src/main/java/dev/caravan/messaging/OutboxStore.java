package dev.caravan.messaging;

import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.mongodb.ErrorCategory;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;
import dev.caravan.security.EncryptedFieldConverter;
import org.bson.Document;
import org.springframework.data.mongodb.BulkOperationException;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Reads and writes the {@code messages} collection. Every state change is one conditional single-document update
 * (compare-and-set on status and lease), so concurrent consumers, servers and webhooks never undo each other.
 */
@Component
class OutboxStore {

    private static final int HISTORY_MAX = 30;

    private static final String COLLECTION = "messages";

    private final MongoTemplate mongo;
    private final EncryptedFieldConverter sealed;

    OutboxStore(MongoTemplate mongo, EncryptedFieldConverter sealed) {
        this.mongo = mongo;
        this.sealed = sealed;
    }

    Optional<OutboxMessage> find(String id) {
        return Optional.ofNullable(mongo.findById(id, OutboxMessage.class));
    }

    List<OutboxMessage> findAll(Collection<String> ids) {
        return mongo.find(Query.query(Criteria.where("_id").in(ids)), OutboxMessage.class);
    }

    Optional<OutboxMessage> findByUnsubscribeToken(String token) {
        return Optional.ofNullable(mongo.findOne(Query.query(Criteria.where("unsubscribeToken").is(token)),
                OutboxMessage.class));
    }

    /**
     * Writes new messages in one unordered insert. Returns the positions of those not written because a message with
     * their id was stored already or earlier in the list (a repeated idempotency key); every other one is written.
     */
    Set<Integer> insertAll(List<OutboxMessage> messages) {
        if (messages.isEmpty()) return Set.of();
        try {
            mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, OutboxMessage.class).insert(messages).execute();
            return Set.of();
        } catch (BulkOperationException e) {
            Set<Integer> existed = new HashSet<>();
            for (BulkWriteError error : e.getErrors()) {
                if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) throw e;
                existed.add(error.getIndex());
            }
            return existed;
        }
    }

    /** Pending messages that are due and owned by nobody (or by a lease that ran out), oldest first. */
    List<String> dueUnleased(Instant now, int limit) {
        Query q = Query.query(Criteria.where("pending").is(true).and("dueAt").lte(now)
                .orOperator(Criteria.where("leaseUntil").is(null), Criteria.where("leaseUntil").lt(now)));
        q.fields().include("_id");
        q.with(Sort.by("dueAt")).limit(limit);
        return mongo.find(q, OutboxMessage.class).stream().map(OutboxMessage::getId).toList();
    }

    /** Takes the lease on a due pending message; false when someone else holds it or it is done. */
    boolean claim(String id, String owner, Instant now, Instant until) {
        Query q = Query.query(Criteria.where("_id").is(id).and("pending").is(true)
                .orOperator(Criteria.where("leaseUntil").is(null), Criteria.where("leaseUntil").lt(now)));
        return mongo.updateFirst(q, new Update().set("leaseOwner", owner).set("leaseUntil", until), OutboxMessage.class)
                .getModifiedCount() == 1;
    }

    /** Gives back the lease (the message stays pending for the next sweep). */
    void release(String id, String owner) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("leaseOwner").is(owner)),
                new Update().unset("leaseOwner").unset("leaseUntil"), OutboxMessage.class);
    }

    /** Releases every lease this server holds on messages not yet handed to a channel (shutdown, restart). */
    long releaseAll(String owner, boolean includingSending) {
        Criteria c = Criteria.where("leaseOwner").is(owner).and("pending").is(true);
        if (!includingSending) c = c.and("status").ne(MessageStatus.SENDING.name());
        return mongo.updateMulti(Query.query(c), new Update().unset("leaseOwner").unset("leaseUntil"),
                OutboxMessage.class).getModifiedCount();
    }

    /**
     * Records that the message is being handed to its channel (write-ahead: a crash after this point is resent
     * after restart, at least once). Only the lease holder can do this.
     */
    boolean markSending(String id, String owner, Instant now, Instant leaseUntil, String recipient, int templateVersion) {
        // the hottest write of the pipeline, in the driver's terms: the mapping layer spent as much CPU translating
        // this update as the driver and the store together spent carrying it out
        return mongo.getCollection(COLLECTION).updateOne(
                // exactly the fields of the id_lease_pending unique index, flat: the embedded store uses an index only
                // for a query of exactly its fields (an $and of the same conditions is a collection scan there)
                new Document("_id", id).append("leaseOwner", owner).append("pending", true),
                Updates.combine(Updates.set("status", MessageStatus.SENDING.name()), Updates.inc("attempts", 1),
                        Updates.set("leaseUntil", Date.from(leaseUntil)),
                        Updates.set("recipient", sealed.writeText(recipient, "recipient")),
                        Updates.set("templateVersion", templateVersion), Updates.set("updatedAt", Date.from(now))))
                .getModifiedCount() == 1;
    }

    /**
     * Moves a pending message owned by this server to a new state and gives up the lease; false when this server no
     * longer holds it (nothing changed). Only the lease holder changes a pending message, so the caller knows the
     * state it moves from without reading it back.
     */
    boolean settle(String id, String owner, MessageStatus status, Reason reason, Instant dueAt, Update extra,
                   Instant now) {
        Query q = Query.query(Criteria.where("_id").is(id).and("leaseOwner").is(owner).and("pending").is(true));
        Update u = extra == null ? new Update() : extra;
        u.set("status", status.name()).set("pending", MessageStatus.PENDING.contains(status)).set("updatedAt", now)
                .unset("leaseOwner").unset("leaseUntil");
        if (reason != null) u.set("reason", reason);
        if (dueAt != null) u.set("dueAt", dueAt);
        stamp(u, status, now);
        history(u, status, reason == null ? null : reason.message(), now);
        return mongo.updateFirst(q, u, OutboxMessage.class).getModifiedCount() == 1;
    }

    /**
     * A receipt from the channel (delivered, read, bounced, failed) for a message already sent. Applied only when
     * it moves the message forward; returns the message as it was before, or empty when nothing changed.
     */
    Optional<OutboxMessage> receipt(String id, MessageStatus status, Reason reason, Instant at, Instant now) {
        List<String> from = switch (status) {
            case DELIVERED -> List.of(MessageStatus.SENDING.name(), MessageStatus.SENT.name());
            case READ -> List.of(MessageStatus.SENDING.name(), MessageStatus.SENT.name(), MessageStatus.DELIVERED.name());
            case BOUNCED, FAILED -> List.of(MessageStatus.SENDING.name(), MessageStatus.SENT.name(),
                    MessageStatus.DELIVERED.name());
            default -> throw new IllegalArgumentException("not a receipt status: " + status);
        };
        Update u = new Update().set("status", status.name()).set("pending", false).set("updatedAt", now)
                .unset("leaseOwner").unset("leaseUntil");
        if (reason != null) u.set("reason", reason);
        stamp(u, status, at);
        if (status == MessageStatus.READ) u.min("deliveredAt", at);
        history(u, status, reason == null ? null : reason.message(), at);
        return Optional.ofNullable(mongo.findAndModify(Query.query(Criteria.where("_id").is(id).and("status").in(from)),
                u, FindAndModifyOptions.options().returnNew(false), OutboxMessage.class));
    }

    /** Puts a dead letter (failed) back in the queue; false when it is not failed. */
    Optional<OutboxMessage> requeueFailed(String id, String user, Instant now) {
        Update u = new Update().set("status", MessageStatus.QUEUED.name()).set("pending", true).set("dueAt", now)
                .set("attempts", 0).set("updatedAt", now).unset("failedAt").unset("leaseOwner").unset("leaseUntil")
                .set("reason", new Reason(Reason.MANUAL_RETRY, "retried by " + user));
        history(u, MessageStatus.QUEUED, "manual retry by " + user, now);
        return Optional.ofNullable(mongo.findAndModify(Query.query(Criteria.where("_id").is(id)
                        .and("status").is(MessageStatus.FAILED.name())), u,
                FindAndModifyOptions.options().returnNew(true), OutboxMessage.class));
    }

    void addConversion(String id, java.math.BigDecimal revenue) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), new Update().inc("conversions", 1)
                .inc("revenueBase", revenue == null ? java.math.BigDecimal.ZERO : revenue), OutboxMessage.class);
    }

    UpdateResult reassign(String from, String to) {
        return mongo.updateMulti(Query.query(Criteria.where("customerId").is(from)),
                Update.update("customerId", to), OutboxMessage.class);
    }

    private static void stamp(Update u, MessageStatus status, Instant at) {
        switch (status) {
            case SENT -> u.set("sentAt", at);
            case DELIVERED -> u.set("deliveredAt", at);
            case READ -> u.set("readAt", at);
            case BOUNCED -> u.set("bouncedAt", at);
            case FAILED -> u.set("failedAt", at);
            case SUPPRESSED -> u.set("suppressedAt", at);
            default -> { }
        }
    }

    private static void history(Update u, MessageStatus status, String detail, Instant at) {
        u.push("history").slice(-HISTORY_MAX).each(new OutboxMessage.Event(at, status.id(), detail));
    }
}
