package dev.caravan.segment;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.caravan.activity.ActivitiesRecorded;
import dev.caravan.common.work.QueueWorker;
import dev.caravan.activity.ActivityRecorded;
import dev.caravan.activity.BehaviourEvent;
import dev.caravan.customer.CustomerUnmerged;
import dev.caravan.customer.CustomersChanged;
import dev.caravan.rules.ClassificationsChanged;
import dev.caravan.customer.CustomersMerged;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Incremental membership: listeners put changed customers (and their new behaviour events) on the durable
 * {@link SegmentQueue} with one upsert each, so ingestion never waits; a background worker drains the queue in
 * batches through the {@link MembershipEngine}. Entries left by a stop are picked up on start.
 */
@Component
class SegmentWorker {

    private static final Logger log = LoggerFactory.getLogger(SegmentWorker.class);
    private static final Set<String> ORDER_TYPES = Set.of("order_placed", "order_paid", "order_shipped",
            "order_delivered", "order_cancelled", "order_refunded");

    private final SegmentQueue queue;
    private final MembershipEngine engine;
    private final SegmentCatalog catalog;
    private final MongoTemplate mongo;
    private final SegmentProperties props;
    private final Clock clock;
    private final QueueWorker worker;

    SegmentWorker(SegmentQueue queue, MembershipEngine engine, SegmentCatalog catalog, MongoTemplate mongo,
                  SegmentProperties props, Clock clock) {
        this.queue = queue;
        this.engine = engine;
        this.catalog = catalog;
        this.mongo = mongo;
        this.props = props;
        this.clock = clock;
        this.worker = new QueueWorker("segments-incremental", props.workerIdlePoll(), () -> queue.size() == 0,
                this::processBatch);
    }

    @EventListener
    void on(CustomersChanged e) {
        enqueue(e.customerIds(), e.live());
    }

    /**
     * A batch of activities: their behaviour events to fold into the summaries, one bulk write to the queue. Order
     * activities are skipped: orders reach the summary from the purchase history, and every customer of an ingested
     * batch is announced by the {@link CustomersChanged} that follows it (after a bulk import, by the one that
     * completes it), which queues the customer anyway.
     */
    @EventListener
    void on(ActivitiesRecorded batch) {
        Map<String, List<PendingEvent>> events = new LinkedHashMap<>();
        for (ActivityRecorded e : batch.activities()) {
            if (e.customerId() == null || ORDER_TYPES.contains(e.type())) continue;
            events.computeIfAbsent(e.customerId(), k -> new ArrayList<>()).add(PendingEvent.of(e));
        }
        if (events.isEmpty()) return;
        queue.addEvents(events, batch.live(), clock.instant());
        worker.wake();
    }

    /** Customers whose tier, lifecycle, level or tags the rules changed: one queue write per evaluated batch. */
    @EventListener
    void on(ClassificationsChanged batch) {
        enqueue(batch.reclassified(), batch.live());
    }

    /** The absorbed customer's behaviour moves to the survivor; its memberships end with it. */
    @EventListener
    void on(CustomersMerged e) {
        BehaviourSummary absorbed = mongo.findById(e.absorbedId(), BehaviourSummary.class);
        if (absorbed != null) {
            BehaviourSummary survivor = mongo.findById(e.survivorId(), BehaviourSummary.class);
            mongo.save(BehaviourFolder.merge(survivor == null ? BehaviourSummary.empty(e.survivorId()) : survivor,
                    absorbed, props, clock.instant()));
            mongo.remove(Query.query(Criteria.where("_id").is(e.absorbedId())), BehaviourSummary.class);
        }
        mongo.remove(Query.query(Criteria.where("_id").is(e.absorbedId())), SegmentMembership.class);
        queue.remove(e.absorbedId());
        enqueue(List.of(e.survivorId()), true);
    }

    /** Both customers' summaries are rebuilt from their stored events (a scan: unmerging is a rare manual act). */
    @EventListener
    void on(CustomerUnmerged e) {
        for (String id : List.of(e.survivorId(), e.restoredId())) {
            mongo.remove(Query.query(Criteria.where("_id").is(id)), BehaviourSummary.class);
            List<BehaviourEvent> stored = mongo.find(Query.query(Criteria.where("customerId").is(id)), BehaviourEvent.class);
            for (BehaviourEvent b : stored) {
                if (ORDER_TYPES.contains(b.type())) continue;
                queue.addEvent(id, PendingEvent.of(new ActivityRecorded(b.id(), id, b.type(), b.occurredAt(),
                        b.properties(), false)), true, clock.instant());
            }
        }
        enqueue(List.of(e.survivorId(), e.restoredId()), true);
    }

    private void enqueue(java.util.Collection<String> ids, boolean live) {
        queue.add(ids, live, clock.instant());
        worker.wake();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (props.incremental()) worker.start();
    }

    @PreDestroy
    void stop() {
        worker.stop();
    }

    /** True while nothing is queued and the worker is idle (tests). */
    boolean idle() {
        return worker.idle();
    }

    /** Processes one batch of queued customers; false when the queue was empty. */
    private boolean processBatch() {
        List<SegmentQueue.Entry> batch = queue.take(props.workerBatch());
        if (batch.isEmpty()) return false;
        List<SegmentCatalog.Compiled> segments = catalog.all();
        Map<String, List<PendingEvent>> pending = new HashMap<>();
        List<String> liveIds = new ArrayList<>();
        List<String> pastIds = new ArrayList<>();
        for (SegmentQueue.Entry e : batch) {
            pending.put(e.customerId(), e.pending());
            (e.live() ? liveIds : pastIds).add(e.customerId());
        }
        engine.process(liveIds, pending, segments, true);
        engine.process(pastIds, pending, segments, false);
        queue.done(batch);
        return true;
    }
}
