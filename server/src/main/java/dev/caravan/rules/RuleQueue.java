package dev.caravan.rules;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The durable queue of customers to re-evaluate: one document per customer ({@code _id} = customer id), so a customer
 * changed a hundred times before the worker gets to it is evaluated once. {@code live} is true when any of the
 * changes was live. Each enqueue increments {@code seq}; an entry is removed only if its {@code seq} is still the one
 * the worker read, so a change that arrives during the evaluation is evaluated again.
 */
@Component
class RuleQueue {

    @Document("rule_queue")
    record Entry(@MongoId(FieldType.STRING) String customerId, Instant queuedAt, boolean live, long seq) {
    }

    private final MongoTemplate mongo;
    /** Keeps an enqueue from slipping between the re-read and the delete in {@link #done} on this server. */
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();

    RuleQueue(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    void add(Collection<String> customerIds, boolean live, Instant at) {
        if (customerIds.isEmpty()) return;
        lock.lock();
        try {
            upsert(customerIds, live, at);
        } finally {
            lock.unlock();
        }
    }

    private void upsert(Collection<String> customerIds, boolean live, Instant at) {
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, Entry.class);
        for (String id : customerIds) {
            if (id == null) continue;
            Update u = new Update().set("queuedAt", at).inc("seq", 1);
            if (live) u.set("live", true);
            else u.setOnInsert("live", false);
            bulk.upsert(Query.query(Criteria.where("_id").is(id)), u);
        }
        bulk.execute();
    }

    List<Entry> take(int limit) {
        return mongo.find(new Query().limit(limit), Entry.class);
    }

    /**
     * Removes the entries unless they were queued again meanwhile. Reads and deletes by {@code _id} only (a query on
     * {@code _id} plus {@code seq} is a full scan on the embedded store); the lock keeps this server's enqueues out
     * of the gap between the two. Across servers a change landing in that gap of a few milliseconds is evaluated by
     * the next full run.
     */
    void done(List<Entry> entries) {
        if (entries.isEmpty()) return;
        java.util.Map<String, Long> taken = new java.util.HashMap<>();
        entries.forEach(e -> taken.put(e.customerId(), e.seq()));
        lock.lock();
        try {
            List<String> ids = List.copyOf(taken.keySet());
            for (int i = 0; i < ids.size(); i += 250) {
                List<String> chunk = ids.subList(i, Math.min(ids.size(), i + 250));
                List<String> unchanged = mongo.find(Query.query(Criteria.where("_id").in(chunk)), Entry.class).stream()
                        .filter(e -> e.seq() == taken.get(e.customerId())).map(Entry::customerId).toList();
                if (!unchanged.isEmpty()) mongo.remove(Query.query(Criteria.where("_id").in(unchanged)), Entry.class);
            }
        } finally {
            lock.unlock();
        }
    }

    long size() {
        return mongo.estimatedCount(Entry.class);
    }
}
