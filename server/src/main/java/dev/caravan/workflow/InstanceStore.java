package dev.caravan.workflow;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.UpdateOptions;
import org.bson.Document;
import org.bson.types.Binary;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;

/**
 * Journey instances in {@code journey_instances}, one document per instance: who and which journey version, the
 * engine's marshalled state while it runs ({@code state}, protobuf), the event types it waits for, a revision for
 * optimistic locking across servers, and the path taken ({@code steps}). Ended instances keep their document
 * (without state) as history for the customer's journeys view.
 */
class InstanceStore {

    static final String COLLECTION = "journey_instances";
    static final String ACTIVE = "ACTIVE";
    static final String COMPLETED = "COMPLETED";
    static final String ABORTED = "ABORTED";
    static final String CANCELLED = "CANCELLED";
    static final String ERROR = "ERROR";

    private final MongoTemplate mongo;
    private final Clock clock;

    InstanceStore(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
        mongo.indexOps(COLLECTION).createIndex(new Index("journeyId", Sort.Direction.ASC).on("status", Sort.Direction.ASC));
        mongo.indexOps(COLLECTION).createIndex(new Index("customerId", Sort.Direction.ASC));
        mongo.indexOps(COLLECTION).createIndex(new Index("eventTypes", Sort.Direction.ASC));
        // lets the embedded store answer the revision-checked update from an index instead of a scan
        mongo.indexOps(COLLECTION).createIndex(new Index("_id", Sort.Direction.ASC).on("rev", Sort.Direction.ASC).unique());
    }

    com.mongodb.client.MongoCollection<Document> collection() {
        return mongo.getCollection(COLLECTION);
    }

    /**
     * Instance documents read during the current unit of work on this thread: one engine operation reads an instance
     * several times (who it belongs to, its state, the engine's reload); writes drop the cached copy.
     */
    private static final ThreadLocal<java.util.Map<String, Document>> READ = ThreadLocal.withInitial(java.util.HashMap::new);

    private static final ThreadLocal<Boolean> CACHING = ThreadLocal.withInitial(() -> false);

    /** Starts caching reads on this thread; returns false when it already was (then the caller must not end it). */
    static boolean beginReads() {
        if (CACHING.get()) return false;
        CACHING.set(true);
        return true;
    }

    static void endReads() {
        CACHING.set(false);
        READ.get().clear();
    }

    Document get(String id) {
        Document cached = READ.get().get(id);
        if (cached != null) return cached;
        Document d = collection().find(new Document("_id", id)).first();
        if (d != null && CACHING.get()) READ.get().put(id, d);
        return d;
    }

    Document meta(String id) {
        return get(id);
    }

    /** The state for the engine's reload: from the document read in this operation (writes drop it), else the store. */
    byte[] state(String id) {
        Document cached = READ.get().get(id);
        if (cached != null && cached.get("state") != null) return ((Binary) cached.get("state")).getData();
        Document d = collection().find(new Document("_id", id)).projection(new Document("state", 1)).first();
        if (d == null || d.get("state") == null) return null;
        return ((Binary) d.get("state")).getData();
    }

    /** First write of an instance (state PENDING, before it runs): creates or completes the document. */
    void create(String id, Ref ref, byte[] state, List<String> eventTypes, StepLog.Pending pending) {
        Instant now = clock.instant();
        Document set = new Document("journeyId", ref.journeyId()).append("version", ref.version())
                .append("processId", ref.processId()).append("customerId", ref.customerId())
                .append("trigger", ref.trigger()).append("status", ACTIVE).append("startedAt", Date.from(now))
                .append("updatedAt", Date.from(now)).append("state", new Binary(state)).append("eventTypes", eventTypes)
                .append("rev", 0L);
        Document update = new Document("$set", set);
        pushSteps(update, pending);
        READ.get().remove(id);
        collection().updateOne(new Document("_id", id), update, new UpdateOptions().upsert(true));
    }

    /** Writes new state if the stored revision is still {@code rev}; false when another server changed it. */
    boolean update(String id, long rev, byte[] state, List<String> eventTypes, List<String> current,
                   StepLog.Pending pending) {
        Document set = new Document("state", new Binary(state)).append("eventTypes", eventTypes)
                .append("currentSteps", current).append("updatedAt", Date.from(clock.instant()));
        if (pending.endStatus != null) set.append("status", pending.endStatus);
        Document update = new Document("$set", set).append("$inc", new Document("rev", 1L));
        pushSteps(update, pending);
        READ.get().remove(id);
        return collection().updateOne(new Document("_id", id).append("rev", rev), update).getMatchedCount() > 0;
    }

    /** The instance ended: drop its state, keep the history. */
    void end(String id, String status, String outcome, StepLog.Pending pending) {
        Document set = new Document("status", status).append("endedAt", Date.from(clock.instant()))
                .append("updatedAt", Date.from(clock.instant())).append("eventTypes", List.of())
                .append("currentSteps", List.of());
        if (outcome != null) set.append("outcome", outcome);
        Document update = new Document("$set", set).append("$unset", new Document("state", ""))
                .append("$inc", new Document("rev", 1L));
        pushSteps(update, pending);
        READ.get().remove(id);
        collection().updateOne(new Document("_id", id), update);
    }

    void setOutcome(String id, String outcome) {
        READ.get().remove(id);
        collection().updateOne(new Document("_id", id), new Document("$set", new Document("outcome", outcome)));
    }

    void reassign(List<String> ids, String toCustomerId) {
        READ.get().clear();
        for (String id : ids) {
            collection().updateOne(new Document("_id", id), new Document("$set", new Document("customerId", toCustomerId)));
        }
    }

    private static void pushSteps(Document update, StepLog.Pending pending) {
        if (pending == null || pending.steps.isEmpty()) return;
        update.append("$push", new Document("steps", new Document("$each",
                pending.steps.stream().map(StepLog.Step::toDocument).toList())));
    }

    /** Which journey version and customer an instance belongs to. */
    record Ref(String processId, String journeyId, int version, String customerId, String trigger) {

        static Ref of(String processId, String customerId, String trigger) {
            JourneyId j = JourneyId.parse(processId);
            return new Ref(processId, j.journeyId(), j.version(), customerId, trigger);
        }
    }

    static Map<String, Object> summary(Document d) {
        return d;
    }
}
