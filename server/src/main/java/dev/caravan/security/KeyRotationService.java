package dev.caravan.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import dev.caravan.common.job.Job;
import dev.caravan.common.job.JobService;
import dev.caravan.common.web.ConflictException;
import dev.caravan.common.web.NotFoundException;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Key rotation: {@link #rotate} adds a new primary key to the keyset (new values are sealed with it at once, old
 * ones stay readable because the old keys stay in the keyset) and starts the re-encryption job; {@link #reencrypt}
 * starts only the job (after a new keyset was deployed through the environment). The job ({@code common.job.Job},
 * kind {@value #JOB_KIND}) walks every {@link ResealTarget} and seals again everything not under the primary key;
 * it is resumed after a restart and is idempotent.
 */
@Service
public class KeyRotationService {

    public static final String JOB_KIND = "key-rotation";
    private static final Logger log = LoggerFactory.getLogger(KeyRotationService.class);

    private final SecretBox box;
    private final BlindIndex index;
    private final JobService jobs;
    private final ObjectProvider<ResealTarget> targets;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "key-rotation");
        t.setDaemon(true);
        return t;
    });

    public KeyRotationService(SecretBox box, BlindIndex index, JobService jobs, ObjectProvider<ResealTarget> targets) {
        this.box = box;
        this.index = index;
        this.jobs = jobs;
        this.targets = targets;
    }

    /** What the API shows about the keys: ids and where they come from, never key material. */
    public record KeyStatus(String source, String primaryKeyId, List<String> keyIds, boolean canRotate,
                            String blindIndexKeyId, String runningJob) {
    }

    public KeyStatus status() {
        return new KeyStatus(box.source().name().toLowerCase(java.util.Locale.ROOT), unsigned(box.primaryKeyId()),
                box.keyIds().stream().map(KeyRotationService::unsigned).toList(), box.canRotate(), index.keyId(),
                jobs.unfinished(JOB_KIND).stream().map(Job::getId).findFirst().orElse(null));
    }

    /** Adds a new primary key and starts re-encrypting; 409 when the keyset comes from the environment. */
    public synchronized Job rotate(String actor) {
        if (!box.canRotate()) {
            throw new ConflictException("the key comes from CARAVAN_SECRETS_KEY: deploy a Tink keyset there with a new "
                    + "primary key (keeping the old keys), restart, then POST /api/v1/admin/keys/reencrypt");
        }
        List<Job> unfinished = jobs.unfinished(JOB_KIND);
        if (!unfinished.isEmpty()) {
            throw new ConflictException("a key rotation is still running (job " + unfinished.get(0).getId()
                    + "): wait until it has finished");
        }
        int previous = box.primaryKeyId();
        int id = box.rotate();
        log.warn("Key rotation by {}: new primary key {} (was {}); re-encrypting stored values", actor, unsigned(id),
                unsigned(previous));
        return start(actor, Map.of("primaryKeyId", unsigned(id), "previousKeyId", unsigned(previous)));
    }

    /** Starts re-encrypting everything under the current primary key, or returns the job already running. */
    public synchronized Job reencrypt(String actor) {
        List<Job> unfinished = jobs.unfinished(JOB_KIND);
        if (!unfinished.isEmpty()) return unfinished.get(0);
        return start(actor, Map.of("primaryKeyId", unsigned(box.primaryKeyId())));
    }

    public Job job(String id) {
        return jobs.find(id, JOB_KIND).orElseThrow(() -> new NotFoundException("key rotation job " + id + " not found"));
    }

    private Job start(String actor, Map<String, String> params) {
        Job job = jobs.create(JOB_KIND, params, actor);
        executor.submit(() -> run(job.getId()));
        return job;
    }

    @EventListener(ApplicationReadyEvent.class)
    void resumeUnfinished() {
        for (Job job : jobs.unfinished(JOB_KIND)) {
            log.info("Resuming key rotation job {}", job.getId());
            executor.submit(() -> run(job.getId()));
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    void run(String jobId) {
        jobs.started(jobId);
        try {
            box.reloadIfChanged();
            List<ResealTarget> all = targets.orderedStream().toList();
            long total = Math.max(1, all.stream().mapToLong(ResealTarget::estimate).sum());
            AtomicLong done = new AtomicLong();
            Map<String, Long> counters = new LinkedHashMap<>();
            long rewritten = 0;
            for (ResealTarget t : all) {
                ResealTarget.Counts c = t.reseal(n -> {
                    long d = done.addAndGet(n);
                    Map<String, Long> progress = new LinkedHashMap<>(counters);
                    progress.put("documents", d);
                    jobs.progress(jobId, Math.min(99.0, 100.0 * d / total), progress);
                });
                counters.put(t.name() + "_documents", c.documents());
                counters.put(t.name() + "_rewritten", c.rewritten());
                rewritten += c.rewritten();
            }
            counters.put("documents", done.get());
            counters.put("rewritten", rewritten);
            jobs.succeeded(jobId, counters, "every stored value is sealed under key " + unsigned(box.primaryKeyId())
                    + " (" + rewritten + " documents rewritten)");
        } catch (RuntimeException e) {
            log.error("Key rotation job {} failed", jobId, e);
            jobs.failed(jobId, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    static String unsigned(int keyId) {
        return Integer.toUnsignedString(keyId);
    }
}
