package dev.caravan.privacy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.caravan.common.job.Job;
import dev.caravan.common.job.JobService;
import dev.caravan.customer.Customer;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Retention: customers inactive for {@code caravan.privacy.retention.inactive-for} are erased like a request would
 * (reason {@code retention}). Inactive means: created, last profile change (consents included) and last order all
 * before the cutoff, and not erased yet. The scheduled run (off by default) and a manual run are jobs with
 * progress; a preview counts the candidates without changing anything. No TTL index: a scan, run daily.
 */
@Service
public class RetentionService {

    private static final Logger log = LoggerFactory.getLogger(RetentionService.class);
    static final String JOB_KIND = "privacy-retention";

    public record Preview(boolean enabled, Duration inactiveFor, Instant cutoff, long candidates) {
    }

    private final MongoTemplate mongo;
    private final DataRightsService rights;
    private final JobService jobs;
    private final PrivacyProperties props;
    private final Clock clock;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "privacy-retention");
        t.setDaemon(true);
        return t;
    });

    RetentionService(MongoTemplate mongo, DataRightsService rights, JobService jobs, PrivacyProperties props, Clock clock) {
        this.mongo = mongo;
        this.rights = rights;
        this.jobs = jobs;
        this.props = props;
        this.clock = clock;
    }

    public Instant cutoff(Duration inactiveFor) {
        return clock.instant().minus(inactiveFor);
    }

    /** Who a run with this period would erase, counted (dry run). */
    public Preview preview(Duration inactiveFor) {
        Duration period = inactiveFor == null ? props.retention().inactiveFor() : inactiveFor;
        Instant cutoff = cutoff(period);
        return new Preview(props.retention().enabled(), period, cutoff, mongo.count(candidates(cutoff), Customer.class));
    }

    /** Starts a run in the background; poll the job. */
    public Job start(Duration inactiveFor, String actor) {
        Duration period = inactiveFor == null ? props.retention().inactiveFor() : inactiveFor;
        Job job = jobs.create(JOB_KIND, Map.of("inactiveFor", period.toString()), actor);
        runner.submit(() -> run(job.getId(), period));
        return job;
    }

    public java.util.Optional<Job> job(String id) {
        return jobs.find(id, JOB_KIND);
    }

    @Scheduled(cron = "${caravan.privacy.retention.cron:0 0 4 * * *}")
    @SchedulerLock(name = "privacy-retention")
    void scheduled() {
        if (!props.retention().enabled()) return;
        Job job = jobs.create(JOB_KIND, Map.of("inactiveFor", props.retention().inactiveFor().toString(),
                "scheduled", "true"), "retention");
        run(job.getId(), props.retention().inactiveFor());
    }

    void run(String jobId, Duration period) {
        jobs.started(jobId);
        try {
            Instant cutoff = cutoff(period);
            Query q = candidates(cutoff);
            q.fields().include("_id");
            List<String> ids = new ArrayList<>();
            mongo.find(q, Customer.class).forEach(c -> ids.add(c.getId()));
            long erased = 0;
            long failed = 0;
            for (int i = 0; i < ids.size(); i++) {
                ErasureRecord r = rights.erase(ids.get(i), "retention", "retention");
                if ("completed".equals(r.status())) erased++;
                else failed++;
                if (i % 20 == 19) {
                    jobs.progress(jobId, 100.0 * (i + 1) / ids.size(),
                            Map.of("candidates", (long) ids.size(), "erased", erased, "failed", failed));
                }
            }
            jobs.succeeded(jobId, Map.of("candidates", (long) ids.size(), "erased", erased, "failed", failed),
                    "customers inactive since " + cutoff + " anonymised");
            log.info("Retention: {} of {} customers inactive since {} anonymised ({} failed)", erased, ids.size(),
                    cutoff, failed);
        } catch (RuntimeException e) {
            log.error("Retention run {} failed", jobId, e);
            jobs.failed(jobId, e.getMessage());
        }
    }

    /** Not erased, and created, changed and last ordered before the cutoff (a missing last order counts as none). */
    static Query candidates(Instant cutoff) {
        return Query.query(new Criteria().andOperator(
                Criteria.where("erasedAt").exists(false),
                Criteria.where("createdAt").lt(cutoff),
                new Criteria().orOperator(Criteria.where("updatedAt").exists(false), Criteria.where("updatedAt").lt(cutoff)),
                new Criteria().orOperator(Criteria.where("metrics.lastOrderAt").exists(false),
                        Criteria.where("metrics.lastOrderAt").is(null), Criteria.where("metrics.lastOrderAt").lt(cutoff))));
    }
}
