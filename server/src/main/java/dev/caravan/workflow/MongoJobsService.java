package dev.caravan.workflow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;

import org.bson.Document;
import org.kie.kogito.jobs.DurationExpirationTime;
import org.kie.kogito.jobs.ExpirationTime;
import org.kie.kogito.jobs.JobDescription;
import org.kie.kogito.jobs.JobsService;
import org.kie.kogito.jobs.descriptors.ProcessInstanceJobDescription;

/**
 * Persistent BPMN timers: each job becomes a TIMER document in {@code journey_work}, fired by the poller through
 * Kogito's {@code TriggerJobCommand}. The engine computes relative timers on the system clock; they are re-based on
 * the injected clock here, so a moved clock (tests, simulations) moves timers too.
 */
class MongoJobsService implements JobsService {

    private final WorkStore work;
    private final Clock clock;

    MongoJobsService(WorkStore work, Clock clock) {
        this.work = work;
        this.clock = clock;
    }

    @Override
    public String scheduleJob(JobDescription description) {
        if (!(description instanceof ProcessInstanceJobDescription job)) {
            throw new UnsupportedOperationException("only process instance timers are supported: " + description);
        }
        ExpirationTime exp = job.expirationTime();
        Instant fireAt = fireAt(exp, clock);
        Document fields = new Document("processId", job.processId()).append("instanceId", job.processInstanceId())
                .append("timerId", job.timerId()).append("jobId", job.id())
                .append("limit", exp.repeatLimit() == null ? 0 : exp.repeatLimit())
                .append("repeatMs", exp.repeatInterval());
        work.put(id(job.id()), WorkStore.TIMER, fireAt, JourneyRuntime.currentCustomer(), fields);
        return job.id();
    }

    static Instant fireAt(ExpirationTime exp, Clock clock) {
        ZonedDateTime at = exp.get();
        if (exp instanceof DurationExpirationTime) {
            Duration delay = Duration.between(ZonedDateTime.now(), at);
            if (delay.isNegative()) delay = Duration.ZERO;
            return clock.instant().plus(Duration.ofMillis(Math.round(delay.toMillis() / 1000.0) * 1000));
        }
        return at.toInstant();
    }

    @Override
    public boolean cancelJob(String id) {
        return work.delete(id(id));
    }

    @Override
    public String rescheduleJob(JobDescription description) {
        cancelJob(description.id());
        return scheduleJob(description);
    }

    static String id(String jobId) {
        return "timer:" + jobId;
    }
}
