package dev.caravan.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import dev.caravan.common.job.Job;
import dev.caravan.common.job.JobService;
import dev.caravan.common.web.NotFoundException;
import dev.caravan.customer.Customer;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Full re-evaluation of every customer as a background job with progress (nightly by cron, on demand, and after an
 * activation), and dry runs of candidate rule sets that count what would change without writing anything.
 * Both first recompute the population statistics, so a dry run and the evaluation after the activation of the same
 * candidate see the same cut-offs.
 */
@Service
class FullEvaluations {

    static final String JOB_KIND = "rules-evaluation";
    private static final Logger log = LoggerFactory.getLogger(FullEvaluations.class);

    private final JobService jobs;
    private final RulesService rules;
    private final PopulationService population;
    private final EvaluationService evaluations;
    private final MongoTemplate mongo;
    private final RulesProperties props;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rules-full-evaluation");
        t.setDaemon(true);
        return t;
    });

    FullEvaluations(JobService jobs, RulesService rules, PopulationService population, EvaluationService evaluations,
                    MongoTemplate mongo, RulesProperties props) {
        this.jobs = jobs;
        this.rules = rules;
        this.population = population;
        this.evaluations = evaluations;
        this.mongo = mongo;
        this.props = props;
        rules.onActivation(version -> {
            if (props.evaluateOnActivation()) submit("system", "activation of version " + version);
        });
    }

    /** Starts a full re-evaluation, or returns the one already queued or running. */
    synchronized Job submit(String actor, String reason) {
        List<Job> unfinished = jobs.unfinished(JOB_KIND);
        if (!unfinished.isEmpty()) {
            return unfinished.get(0);
        }
        Job job = jobs.create(JOB_KIND, Map.of("reason", reason), actor);
        executor.submit(() -> run(job.getId()));
        return job;
    }

    Job get(String id) {
        return jobs.find(id, JOB_KIND).orElseThrow(() -> new NotFoundException("evaluation " + id + " not found"));
    }

    @Scheduled(cron = "${caravan.rules.full-evaluation-cron:0 30 3 * * *}")
    void nightly() {
        submit("system", "scheduled");
    }

    @EventListener(ApplicationReadyEvent.class)
    void resumeUnfinished() {
        for (Job job : jobs.unfinished(JOB_KIND)) {
            log.info("Re-running rule evaluation {} left unfinished", job.getId());
            executor.submit(() -> run(job.getId()));
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    private void run(String jobId) {
        jobs.started(jobId);
        try {
            RuleSet set = rules.current();
            Population pop = population.computeAndStore(set);
            java.util.Set<String> signalIds = evaluations.signalIds();
            EvaluationStats stats = new EvaluationStats(props.dryRunSamples());
            long total = Math.max(1, mongo.estimatedCount(Customer.class));
            long t0 = System.nanoTime();
            forEachBatch(batch -> {
                evaluations.evaluate(batch, set, pop, true, true, stats, signalIds);
                Map<String, Long> counters = new LinkedHashMap<>(stats.counters());
                counters.put("customers", total);
                jobs.progress(jobId, 100.0 * stats.evaluated() / total, counters);
            });
            if (!stats.loopReports().isEmpty()) jobs.warnings(jobId, stats.loopReports());
            Map<String, Long> counters = new LinkedHashMap<>(stats.counters());
            counters.put("version", set.version());
            counters.put("millis", (System.nanoTime() - t0) / 1_000_000);
            jobs.succeeded(jobId, counters, "evaluated " + stats.evaluated() + " customers with rule version "
                    + set.version() + "; " + stats.changed() + " changed"
                    + (stats.loops() > 0 ? "; " + stats.loops() + " stopped by the firing limit (looping rules)" : ""));
        } catch (RuntimeException e) {
            log.error("Rule evaluation {} failed", jobId, e);
            jobs.failed(jobId, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Evaluates the candidate against every stored customer without writing; returns counts and samples. */
    Map<String, Object> dryRun(RuleSet candidate) {
        Population pop = population.compute(candidate.coreShare(), candidate.growthShare());
        EvaluationStats stats = new EvaluationStats(props.dryRunSamples());
        java.util.Set<String> signalIds = evaluations.signalIds();
        forEachBatch(batch -> evaluations.evaluate(batch, candidate, pop, false, true, stats, signalIds));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("activeVersion", rules.activeVersion());
        report.putAll(stats.report());
        return report;
    }

    private void forEachBatch(java.util.function.Consumer<List<Customer>> work) {
        Query q = new Query();
        q.fields().include(EvaluationService.CUSTOMER_FIELDS);
        q.cursorBatchSize(props.batchSize());
        List<Customer> batch = new ArrayList<>(props.batchSize());
        try (Stream<Customer> stream = mongo.stream(q, Customer.class)) {
            for (Customer c : (Iterable<Customer>) stream::iterator) {
                batch.add(c);
                if (batch.size() == props.batchSize()) {
                    work.accept(batch);
                    batch = new ArrayList<>(props.batchSize());
                }
            }
        }
        if (!batch.isEmpty()) work.accept(batch);
    }
}
