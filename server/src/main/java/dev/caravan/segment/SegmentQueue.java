package dev.caravan.segment;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Customers whose memberships must be re-evaluated, one document per customer (a customer changed a hundred times
 * is evaluated once), with the behaviour events still to fold into their summary. An enqueue is one upsert by
 * primary key. {@code seq} counts enqueues: an entry is removed only if nothing was queued meanwhile; events left in
 * a re-queued entry are folded again, which the summary's merge by event id makes harmless.
 */
@Component
class SegmentQueue {

    @Document("segment_queue")
    record Entry(@MongoId(FieldType.STRING) String customerId, Instant queuedAt, boolean live, long seq,
                 List<PendingEvent> events) {
        List<PendingEvent> pending() {
            return events == null ? List.of() : events;
        }
    }

    private final MongoTemplate mongo;
    private final SegmentProperties props;
    private final ReentrantLock lock = new ReentrantLock();

    SegmentQueue(MongoTemplate mongo, SegmentProperties props) {
        this.mongo = mongo;
        this.props = props;
    }

    void add(Collection<String> customerIds, boolean live, Instant at) {
        if (customerIds.isEmpty()) return;
        lock.lock();
        try {
            BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, Entry.class);
            int n = 0;
            for (String id : customerIds) {
                if (id == null) continue;
                bulk.upsert(Query.query(Criteria.where("_id").is(id)), update(live, at));
                n++;
            }
            if (n > 0) bulk.execute();
        } finally {
            lock.unlock();
        }
    }

    void addEvent(String customerId, PendingEvent event, boolean live, Instant at) {
        lock.lock();
        try {
            Update u = update(live, at);
            u.push("events").slice(-props.maxEntries()).each(event);
            mongo.upsert(Query.query(Criteria.where("_id").is(customerId)), u, Entry.class);
        } finally {
            lock.unlock();
        }
    }

    private static Update update(boolean live, Instant at) {
        Update u = new Update().set("queuedAt", at).inc("seq", 1);
        if (live) u.set("live", true);
        else u.setOnInsert("live", false);
        return u;
    }

    List<Entry> take(int limit) {
        return mongo.find(new Query().limit(limit), Entry.class);
    }

    /** Removes the entries unless they were queued again meanwhile (reads and deletes by {@code _id} only). */
    void done(List<Entry> entries) {
        if (entries.isEmpty()) return;
        Map<String, Long> taken = new HashMap<>();
        entries.forEach(e -> taken.put(e.customerId(), e.seq()));
        lock.lock();
        try {
            List<String> ids = List.copyOf(taken.keySet());
            for (int i = 0; i < ids.size(); i += 64) {
                List<String> chunk = ids.subList(i, Math.min(ids.size(), i + 64));
                List<String> unchanged = mongo.find(Query.query(Criteria.where("_id").in(chunk)), Entry.class).stream()
                        .filter(e -> e.seq() == taken.get(e.customerId())).map(Entry::customerId).toList();
                if (!unchanged.isEmpty()) mongo.remove(Query.query(Criteria.where("_id").in(unchanged)), Entry.class);
            }
        } finally {
            lock.unlock();
        }
    }

    void remove(String customerId) {
        mongo.remove(Query.query(Criteria.where("_id").is(customerId)), Entry.class);
    }

    long size() {
        return mongo.estimatedCount(Entry.class);
    }
}
