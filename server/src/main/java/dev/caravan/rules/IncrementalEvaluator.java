package dev.caravan.rules;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.caravan.activity.ActivitiesRecorded;
import dev.caravan.common.work.QueueWorker;
import dev.caravan.customer.CustomerUnmerged;
import dev.caravan.customer.CustomersChanged;
import dev.caravan.customer.CustomersMerged;
import jakarta.annotation.PreDestroy;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Incremental evaluation: listeners put changed customers on the durable {@link RuleQueue} (a cheap upsert, so
 * ingestion never waits on rules) and wake a background worker, which evaluates queued customers in batches
 * against the active rule set and the stored population statistics. Entries left by a crash are picked up on start.
 */
@Component
class IncrementalEvaluator {

    private final RuleQueue queue;
    private final RulesService rules;
    private final PopulationService population;
    private final EvaluationService evaluations;
    private final ActivitySignalsWriter signals;
    private final MongoTemplate mongo;
    private final RulesProperties props;
    private final Clock clock;
    private final AtomicLong evaluated = new AtomicLong();
    private final QueueWorker worker;

    IncrementalEvaluator(RuleQueue queue, RulesService rules, PopulationService population,
                         EvaluationService evaluations, ActivitySignalsWriter signals, MongoTemplate mongo,
                         RulesProperties props, Clock clock) {
        this.queue = queue;
        this.rules = rules;
        this.population = population;
        this.evaluations = evaluations;
        this.signals = signals;
        this.mongo = mongo;
        this.props = props;
        this.clock = clock;
        this.worker = new QueueWorker("rules-incremental", props.workerIdlePoll(), () -> queue.size() == 0,
                this::evaluateBatch);
    }

    @EventListener
    void onCustomersChanged(CustomersChanged e) {
        queue.add(e.customerIds(), e.live(), clock.instant());
        worker.wake();
    }

    /** Counters from a whole batch in one bulk write; the pipeline's CustomersChanged that follows queues them. */
    @EventListener
    void onActivities(ActivitiesRecorded e) {
        signals.recordAll(e.activities());
    }

    @EventListener
    void onMerged(CustomersMerged e) {
        signals.merge(e.absorbedId(), e.survivorId());
        mongo.remove(Query.query(Criteria.where("_id").is(e.absorbedId())), RuleState.class);
        mongo.remove(Query.query(Criteria.where("_id").is(e.absorbedId())), RuleQueue.Entry.class);
    }

    @EventListener
    void onUnmerged(CustomerUnmerged e) {
        signals.rebuild(List.of(e.survivorId(), e.restoredId()));
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (props.incremental()) worker.start();
    }

    @PreDestroy
    void stop() {
        worker.stop();
    }

    /** Evaluated customers since start (for tests and the benchmark). */
    long evaluatedCount() {
        return evaluated.get();
    }

    /** True while nothing is queued and the worker is not evaluating. */
    boolean idle() {
        return worker.idle();
    }

    /** Evaluates one batch of queued customers; false when the queue was empty. */
    private boolean evaluateBatch() {
        List<RuleQueue.Entry> batch = queue.take(props.workerBatch());
        if (batch.isEmpty()) return false;
        RuleSet set = rules.current();
        Population pop = population.current(set, props.populationMaxAge());
        List<String> liveIds = new ArrayList<>();
        List<String> pastIds = new ArrayList<>();
        batch.forEach(e -> (e.live() ? liveIds : pastIds).add(e.customerId()));
        EvaluationStats stats = new EvaluationStats(0);
        evaluations.evaluateIds(liveIds, set, pop, true, true, stats);
        evaluations.evaluateIds(pastIds, set, pop, true, false, stats);
        queue.done(batch);
        evaluated.addAndGet(batch.size());
        return true;
    }
}
