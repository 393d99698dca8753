package dev.caravan.workflow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * Durable work of the journey engine in one collection, {@code journey_work}: engine timers (BPMN timer events),
 * palette waits (WaitUntilLocalTime) and queued triggers. Each document is due at {@code fireAt}; a server claims
 * due documents by writing its lease token and a lease expiry onto them ({@code leaseUntil}), so two servers on one
 * store never fire the same document, and a crashed server's claims are taken over once the lease expires.
 * Finished work is deleted by its claimant only.
 */
class WorkStore {

    static final String COLLECTION = "journey_work";
    static final String TIMER = "TIMER";
    static final String WAIT = "WAIT";
    static final String TRIGGER = "TRIGGER";
    private static final Date FREE = new Date(0);

    private final MongoTemplate mongo;
    private final Clock clock;

    WorkStore(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
        mongo.indexOps(COLLECTION).createIndex(new Index("fireAt", Sort.Direction.ASC));
        // (_id, lease) lets the embedded store answer the compare-and-set updates below from an index: it scans the
        // whole collection for any filter on _id plus another field unless an index covers exactly those fields
        mongo.indexOps(COLLECTION).createIndex(new Index("_id", Sort.Direction.ASC).on("lease", Sort.Direction.ASC).unique());
    }

    /** Inserts or replaces a work document (free, due at fireAt). */
    void put(String id, String kind, Instant fireAt, String customerId, Document fields) {
        Document doc = new Document(fields).append("_id", id).append("kind", kind).append("fireAt", Date.from(fireAt))
                .append("customerId", customerId).append("lease", "").append("leaseUntil", FREE)
                .append("attempts", 0);
        mongo.getCollection(COLLECTION).replaceOne(new Document("_id", id), doc,
                new com.mongodb.client.model.ReplaceOptions().upsert(true));
    }

    /** Inserts unless a document with this id exists (queued triggers: a replayed event id is queued once). */
    boolean putIfAbsent(String id, String kind, Instant fireAt, String customerId, Document fields) {
        Document doc = work(id, kind, fireAt, customerId, fields);
        try {
            mongo.getCollection(COLLECTION).insertOne(doc);
            return true;
        } catch (com.mongodb.MongoWriteException | DuplicateKeyException e) {
            if (e instanceof com.mongodb.MongoWriteException w && w.getError().getCode() != 11000) throw w;
            return false;
        }
    }

    /**
     * Inserts every document whose id is not stored yet, in one unordered bulk (a batch of queued triggers); the
     * others are left alone. Returns how many were inserted.
     */
    int putAllIfAbsent(List<Document> docs) {
        if (docs.isEmpty()) return 0;
        try {
            return mongo.getCollection(COLLECTION).bulkWrite(docs.stream()
                            .map(d -> (com.mongodb.client.model.WriteModel<Document>) new com.mongodb.client.model.InsertOneModel<>(d))
                            .toList(), new com.mongodb.client.model.BulkWriteOptions().ordered(false))
                    .getInsertedCount();
        } catch (com.mongodb.MongoBulkWriteException e) {
            if (e.getWriteErrors().stream().anyMatch(w -> w.getCode() != 11000)) throw e;
            return e.getWriteResult().getInsertedCount();
        }
    }

    /** A free work document, due at fireAt. */
    static Document work(String id, String kind, Instant fireAt, String customerId, Document fields) {
        return new Document(fields).append("_id", id).append("kind", kind).append("fireAt", Date.from(fireAt))
                .append("customerId", customerId).append("lease", "").append("leaseUntil", FREE)
                .append("attempts", 0);
    }

    boolean delete(String id) {
        return mongo.getCollection(COLLECTION).deleteOne(new Document("_id", id)).getDeletedCount() > 0;
    }

    Document get(String id) {
        return mongo.getCollection(COLLECTION).find(new Document("_id", id)).first();
    }

    /**
     * Claims up to {@code limit} due, unleased (or expired) documents for {@code owner}: finds candidates with their
     * current lease value, then takes each with a compare-and-set on that value, so of two servers racing for a
     * document exactly one wins. Returns the claimed documents, oldest first, each with its new lease in "lease".
     */
    List<Document> claim(String owner, int limit, Duration lease) {
        Instant now = clock.instant();
        Date nowDate = Date.from(now);
        Query due = Query.query(Criteria.where("fireAt").lte(nowDate).and("leaseUntil").lte(nowDate))
                .with(Sort.by("fireAt", "_id")).limit(limit);
        List<Document> candidates = mongo.find(due, Document.class, COLLECTION);
        List<Document> claimed = new ArrayList<>();
        Date until = Date.from(now.plus(lease));
        for (Document d : candidates) {
            String mine = owner + "@" + until.getTime() + "@" + d.getInteger("attempts", 0);
            Object current = d.get("lease") == null ? "" : d.get("lease");
            long taken = mongo.getCollection(COLLECTION).updateOne(new Document("_id", d.get("_id")).append("lease", current),
                    new Document("$set", new Document("lease", mine).append("leaseUntil", until))).getModifiedCount();
            if (taken > 0) {
                d.put("lease", mine);
                d.put("leaseUntil", until);
                claimed.add(d);
            }
        }
        return claimed;
    }

    /** Deletes claimed work once done; false when the lease was lost meanwhile (someone else owns it now). */
    boolean complete(Document claimed) {
        return mongo.getCollection(COLLECTION).deleteOne(new Document("_id", claimed.get("_id")).append("lease", claimed.get("lease")))
                .getDeletedCount() > 0;
    }

    /** Gives claimed work back after a failure, to be retried after a back-off; parks it after many attempts. */
    void retryLater(Document claimed, String error) {
        Instant now = clock.instant();
        int attempts = claimed.getInteger("attempts", 0);
        Duration backoff = Duration.ofSeconds(Math.min(3600, 5L << Math.min(10, attempts)));
        Document set = new Document("lease", "").append("leaseUntil", FREE).append("attempts", attempts + 1)
                .append("lastError", error).append("fireAt", Date.from(now.plus(backoff)));
        if (attempts + 1 >= 10) set.append("fireAt", Date.from(Instant.parse("9999-01-01T00:00:00Z"))).append("parked", true);
        mongo.getCollection(COLLECTION).updateOne(new Document("_id", claimed.get("_id")).append("lease", claimed.get("lease")),
                new Document("$set", set));
    }

    /** Moves a claimed repeating timer to its next time and frees it. */
    void reschedule(Document claimed, Instant fireAt, Document changes) {
        Document set = new Document("lease", "").append("leaseUntil", FREE).append("fireAt", Date.from(fireAt));
        set.putAll(changes);
        mongo.getCollection(COLLECTION).updateOne(new Document("_id", claimed.get("_id")).append("lease", claimed.get("lease")),
                new Document("$set", set));
    }

    long countDue() {
        Date now = Date.from(clock.instant());
        return mongo.count(Query.query(Criteria.where("fireAt").lte(now).and("leaseUntil").lte(now)), COLLECTION);
    }

    long count(String kind) {
        return mongo.count(Query.query(Criteria.where("kind").is(kind)), COLLECTION);
    }
}
