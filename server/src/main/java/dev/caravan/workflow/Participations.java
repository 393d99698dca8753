package dev.caravan.workflow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.UpdateOptions;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * One document per customer in {@code journey_customers} (keyed by the customer id): the running instance of each
 * journey, when each journey last ended, the customer's instance ids (newest last) and recent skipped entries. It
 * enforces "at most one running instance per customer and journey" and the re-entry cool-down with single-document
 * conditional updates, and it is how events find a customer's instances (by key, never by scanning).
 */
class Participations {

    static final String COLLECTION = "journey_customers";
    private static final int KEEP_INSTANCES = 200;
    private static final int KEEP_SKIPS = 20;

    private final MongoTemplate mongo;
    private final Clock clock;

    Participations(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
        mongo.indexOps(COLLECTION).createIndex(new org.springframework.data.mongodb.core.index.Index("_id",
                org.springframework.data.domain.Sort.Direction.ASC).on("rev", org.springframework.data.domain.Sort.Direction.ASC).unique());
    }

    private com.mongodb.client.MongoCollection<Document> col() {
        return mongo.getCollection(COLLECTION);
    }

    Document get(String customerId) {
        Document read = JourneyReads.participation(customerId);
        return read != null ? read : col().find(new Document("_id", customerId)).first();
    }

    /** Running instances: journey id → instance id. */
    Map<String, String> running(String customerId) {
        Document d = get(customerId);
        Map<String, String> out = new LinkedHashMap<>();
        if (d != null && d.get("running") instanceof Document r) r.forEach((k, v) -> out.put(k, (String) v));
        return out;
    }

    /** Which of these customers hold a running slot in any journey (primary-key reads in chunks of 64). */
    java.util.Set<String> withRunningJourney(java.util.Collection<String> customerIds) {
        java.util.Set<String> out = new java.util.HashSet<>();
        List<String> ids = List.copyOf(customerIds);
        for (int i = 0; i < ids.size(); i += 64) {
            for (Document d : col().find(new Document("_id", new Document("$in", ids.subList(i, Math.min(ids.size(), i + 64)))))
                    .projection(new Document("running", 1))) {
                if (d.get("running") instanceof Document r && !r.isEmpty()) out.add(d.getString("_id"));
            }
        }
        return out;
    }

    List<String> instances(String customerId) {
        Document d = get(customerId);
        return d == null ? List.of() : d.getList("instances", String.class, List.of());
    }

    /**
     * Takes the customer's slot in a journey for this instance, unless one runs or the cool-down has not passed: a
     * compare-and-set on the document's revision, so of two concurrent starts exactly one wins.
     */
    boolean claim(String customerId, String journeyId, String instanceId, Duration cooldown) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Document d = get(customerId);
            if (d == null) {
                JourneyReads.forgetParticipation(customerId);
                try {
                    col().insertOne(new Document("_id", customerId).append("rev", 0L).append("running", new Document())
                            .append("ended", new Document()).append("instances", List.of()));
                } catch (com.mongodb.MongoWriteException e) {
                    if (e.getError().getCode() != 11000) throw e;
                }
                continue;
            }
            Document running = d.get("running", Document.class);
            if (running != null && running.get(journeyId) != null) return false;
            Document ended = d.get("ended", Document.class);
            Date last = ended == null ? null : ended.getDate(journeyId);
            if (last != null && last.toInstant().plus(cooldown).isAfter(clock.instant())) return false;
            Document update = new Document("$set", new Document("running." + journeyId, instanceId))
                    .append("$inc", new Document("rev", 1L))
                    .append("$push", new Document("instances", new Document("$each", List.of(instanceId))
                            .append("$slice", -KEEP_INSTANCES)));
            JourneyReads.forgetParticipation(customerId);
            if (col().updateOne(revision(d), update).getModifiedCount() > 0) return true;
        }
        return false;
    }

    /** Frees the slot; when the instance took any step, the cool-down starts now. */
    void release(String customerId, String journeyId, String instanceId, boolean effective) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Document d = get(customerId);
            Document running = d == null ? null : d.get("running", Document.class);
            if (running == null || !instanceId.equals(running.get(journeyId))) return;
            Document update = new Document("$unset", new Document("running." + journeyId, ""))
                    .append("$inc", new Document("rev", 1L));
            if (effective) update.append("$set", new Document("ended." + journeyId, Date.from(clock.instant())));
            JourneyReads.forgetParticipation(customerId);
            if (col().updateOne(revision(d), update).getModifiedCount() > 0) return;
        }
    }

    /** Filter matching this document only while unchanged (an index on (_id, rev) serves it on the embedded store). */
    private static Document revision(Document d) {
        return new Document("_id", d.get("_id")).append("rev", d.get("rev"));
    }

    /** Why an entry was refused (for the trace), or null when the slot looks free. */
    String whyNot(String customerId, String journeyId, Duration cooldown) {
        Document d = get(customerId);
        if (d == null) return null;
        Document running = d.get("running", Document.class);
        if (running != null && running.get(journeyId) != null) {
            return "already in this journey (instance " + running.get(journeyId) + ")";
        }
        Document ended = d.get("ended", Document.class);
        Date last = ended == null ? null : ended.getDate(journeyId);
        if (last != null && last.toInstant().plus(cooldown).isAfter(clock.instant())) {
            return "cool-down until " + last.toInstant().plus(cooldown);
        }
        return null;
    }

    void skipped(String customerId, String journeyId, String trigger, String reason) {
        Document skip = new Document("journeyId", journeyId).append("trigger", trigger).append("reason", reason)
                .append("at", Date.from(clock.instant()));
        JourneyReads.forgetParticipation(customerId);
        col().updateOne(new Document("_id", customerId), new Document("$push", new Document("skips",
                new Document("$each", List.of(skip)).append("$slice", -KEEP_SKIPS))), new UpdateOptions().upsert(true));
    }

    /** Moves a customer's journey records to another customer (merge); returns instances that now collide. */
    List<String> moveAll(String from, String to) {
        Document src = get(from);
        if (src == null) return List.of();
        Document dst = get(to);
        List<String> collisions = new java.util.ArrayList<>();
        Document running = new Document(dst == null || dst.get("running") == null ? new Document() : dst.get("running", Document.class));
        Document srcRunning = src.get("running", Document.class);
        if (srcRunning != null) {
            srcRunning.forEach((j, id) -> {
                if (running.containsKey(j)) collisions.add((String) id);
                else running.put(j, id);
            });
        }
        Document ended = new Document(dst == null || dst.get("ended") == null ? new Document() : dst.get("ended", Document.class));
        Document srcEnded = src.get("ended", Document.class);
        if (srcEnded != null) {
            srcEnded.forEach((j, at) -> {
                Date mine = ended.getDate(j);
                if (mine == null || ((Date) at).after(mine)) ended.put(j, at);
            });
        }
        List<String> instances = new java.util.ArrayList<>(dst == null ? List.of() : dst.getList("instances", String.class, List.of()));
        instances.addAll(src.getList("instances", String.class, List.of()));
        if (instances.size() > KEEP_INSTANCES) instances = instances.subList(instances.size() - KEEP_INSTANCES, instances.size());
        JourneyReads.forgetParticipation(to);
        JourneyReads.forgetParticipation(from);
        col().updateOne(new Document("_id", to), new Document("$set", new Document("running", running)
                .append("ended", ended).append("instances", instances)).append("$inc", new Document("rev", 1L)),
                new UpdateOptions().upsert(true));
        col().deleteOne(new Document("_id", from));
        return collisions;
    }

    Instant now() {
        return clock.instant();
    }
}
