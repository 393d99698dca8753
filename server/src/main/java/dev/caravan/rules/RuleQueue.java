package dev.caravan.rules;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.springframework.data.annotation.Id;
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
    record Entry(@Id String customerId, Instant queuedAt, boolean live, long seq) {
    }

    private final MongoTemplate mongo;

    RuleQueue(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    void add(Collection<String> customerIds, boolean live, Instant at) {
        if (customerIds.isEmpty()) return;
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

    /** Removes the entries unless they were queued again meanwhile. */
    void done(List<Entry> entries) {
        if (entries.isEmpty()) return;
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, Entry.class);
        for (Entry e : entries) {
            bulk.remove(Query.query(Criteria.where("_id").is(e.customerId()).and("seq").is(e.seq())));
        }
        bulk.execute();
    }

    long size() {
        return mongo.estimatedCount(Entry.class);
    }
}
