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
    private static final int CHUNK = 64;

    private final MongoTemplate mongo;
    private final Clock clock;

    WorkStore(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
        mongo.indexOps(COLLECTION).createIndex(new Index("fireAt", Sort.Direction.ASC));
        mongo.indexOps(COLLECTION).createIndex(new Index("leaseOwner", Sort.Direction.ASC));
    }

    /** Inserts or replaces a work document (free, due at fireAt). */
    void put(String id, String kind, Instant fireAt, String customerId, Document fields) {
        Document doc = new Document(fields).append("_id", id).append("kind", kind).append("fireAt", Date.from(fireAt))
                .append("customerId", customerId).append("leaseOwner", null).append("leaseUntil", FREE)
                .append("attempts", 0);
        mongo.getCollection(COLLECTION).replaceOne(new Document("_id", id), doc,
                new com.mongodb.client.model.ReplaceOptions().upsert(true));
    }

    /** Inserts unless a document with this id exists (queued triggers: a replayed event id is queued once). */
    boolean putIfAbsent(String id, String kind, Instant fireAt, String customerId, Document fields) {
        Document doc = new Document(fields).append("_id", id).append("kind", kind).append("fireAt", Date.from(fireAt))
                .append("customerId", customerId).append("leaseOwner", null).append("leaseUntil", FREE)
                .append("attempts", 0);
        try {
            mongo.getCollection(COLLECTION).insertOne(doc);
            return true;
        } catch (com.mongodb.MongoWriteException | DuplicateKeyException e) {
            if (e instanceof com.mongodb.MongoWriteException w && w.getError().getCode() != 11000) throw w;
            return false;
        }
    }

    boolean delete(String id) {
        return mongo.getCollection(COLLECTION).deleteOne(new Document("_id", id)).getDeletedCount() > 0;
    }

    Document get(String id) {
        return mongo.getCollection(COLLECTION).find(new Document("_id", id)).first();
    }

    /**
     * Claims up to {@code limit} due, unleased documents for {@code token}: finds candidates, then takes each chunk
     * with a conditional update that only matches documents still free, so a concurrent claimant gets none of them.
     */
    List<Document> claim(String token, int limit, Duration lease) {
        Instant now = clock.instant();
        Date nowDate = Date.from(now);
        Query due = Query.query(Criteria.where("fireAt").lte(nowDate).and("leaseUntil").lte(nowDate))
                .with(Sort.by("fireAt", "_id")).limit(limit);
        due.fields().include("_id");
        List<Object> ids = new ArrayList<>();
        mongo.find(due, Document.class, COLLECTION).forEach(d -> ids.add(d.get("_id")));
        if (ids.isEmpty()) return List.of();
        Update take = new Update().set("leaseOwner", token).set("leaseUntil", Date.from(now.plus(lease)));
        for (int i = 0; i < ids.size(); i += CHUNK) {
            List<Object> chunk = ids.subList(i, Math.min(ids.size(), i + CHUNK));
            mongo.updateMulti(Query.query(Criteria.where("_id").in(chunk).and("leaseUntil").lte(nowDate)
                    .and("fireAt").lte(nowDate)), take, COLLECTION);
        }
        List<Document> claimed = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += CHUNK) {
            List<Object> chunk = ids.subList(i, Math.min(ids.size(), i + CHUNK));
            claimed.addAll(mongo.find(Query.query(Criteria.where("_id").in(chunk).and("leaseOwner").is(token)),
                    Document.class, COLLECTION));
        }
        claimed.sort(java.util.Comparator.comparing((Document d) -> d.getDate("fireAt")).thenComparing(d -> d.getString("_id")));
        return claimed;
    }

    /** Deletes claimed work once done; false when the lease was lost meanwhile (someone else owns it now). */
    boolean complete(String id, String token) {
        return mongo.getCollection(COLLECTION).deleteOne(new Document("_id", id).append("leaseOwner", token))
                .getDeletedCount() > 0;
    }

    /** Gives claimed work back after a failure, to be retried after a back-off; parks it after many attempts. */
    void retryLater(String id, String token, int attempts, String error) {
        Instant now = clock.instant();
        Duration backoff = Duration.ofSeconds(Math.min(3600, 5L << Math.min(10, attempts)));
        Update u = new Update().set("leaseOwner", null).set("leaseUntil", FREE).set("attempts", attempts + 1)
                .set("lastError", error).set("fireAt", Date.from(now.plus(backoff)));
        if (attempts + 1 >= 10) u.set("fireAt", Date.from(Instant.parse("9999-01-01T00:00:00Z"))).set("parked", true);
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("leaseOwner").is(token)), u, COLLECTION);
    }

    /** Moves a claimed repeating timer to its next time and frees it. */
    void reschedule(String id, String token, Instant fireAt, Document changes) {
        Update u = new Update().set("leaseOwner", null).set("leaseUntil", FREE).set("fireAt", Date.from(fireAt));
        changes.forEach(u::set);
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("leaseOwner").is(token)), u, COLLECTION);
    }

    long countDue() {
        Date now = Date.from(clock.instant());
        return mongo.count(Query.query(Criteria.where("fireAt").lte(now).and("leaseUntil").lte(now)), COLLECTION);
    }

    long count(String kind) {
        return mongo.count(Query.query(Criteria.where("kind").is(kind)), COLLECTION);
    }
}
