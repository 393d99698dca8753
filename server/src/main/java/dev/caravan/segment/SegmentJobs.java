package dev.caravan.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import dev.caravan.common.job.Job;
import dev.caravan.common.job.JobService;
import jakarta.annotation.PreDestroy;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Full passes over every customer: filling a new or edited segment (a job with progress; its entries and exits are
 * not live), and the periodic refresh of every segment, which moves customers whose conditions changed with time
 * alone ("no order for 90 days"; those changes are live).
 */
@Component
class SegmentJobs {

    static final String KIND = "segment-refresh";
    private static final Logger log = LoggerFactory.getLogger(SegmentJobs.class);

    private final JobService jobs;
    private final MembershipEngine engine;
    private final SegmentCatalog catalog;
    private final MongoTemplate mongo;
    private final SegmentProperties props;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "segments-refresh");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean refreshing = new AtomicBoolean();

    SegmentJobs(JobService jobs, MembershipEngine engine, SegmentCatalog catalog, MongoTemplate mongo,
                SegmentProperties props) {
        this.jobs = jobs;
        this.engine = engine;
        this.catalog = catalog;
        this.mongo = mongo;
        this.props = props;
    }

    /** Starts filling one segment's memberships; returns the job at once. */
    Job fill(Segment segment, String actor) {
        Job job = jobs.create(KIND, Map.of("segmentId", segment.id(), "version", String.valueOf(segment.version())), actor);
        executor.submit(() -> run(job.getId(), segment));
        return job;
    }

    private void run(String jobId, Segment segment) {
        try {
            jobs.started(jobId);
            SegmentCatalog.Compiled compiled = catalog.compile(segment);
            long total = mongo.estimatedCount("customers");
            long[] c = new long[3];
            forEachChunk(chunk -> {
                MembershipEngine.Outcome o = engine.process(chunk, Map.of(), List.of(compiled), false);
                c[0] += chunk.size();
                c[1] += o.entered();
                c[2] += o.left();
                jobs.progress(jobId, total == 0 ? 100 : 100.0 * c[0] / total,
                        Map.of("customers", c[0], "entered", c[1], "left", c[2]));
            });
            jobs.succeeded(jobId, Map.of("customers", c[0], "entered", c[1], "left", c[2]), null);
        } catch (RuntimeException e) {
            log.warn("Filling segment {} failed", segment.id(), e);
            jobs.failed(jobId, "filling the segment failed: " + e.getMessage());
        }
    }

    /** Re-evaluates every customer against every segment (periodic; live). */
    @Scheduled(fixedDelayString = "${caravan.segments.refresh-interval:1h}",
            initialDelayString = "${caravan.segments.refresh-interval:1h}")
    @SchedulerLock(name = "segments-refresh")
    void scheduledRefresh() {
        refreshAll();
    }

    /** One pass of every segment over every customer; returns customers, entries and exits. */
    long[] refreshAll() {
        long[] c = new long[3];
        if (!refreshing.compareAndSet(false, true)) return c;
        try {
            List<SegmentCatalog.Compiled> segments = catalog.all();
            if (segments.isEmpty()) return c;
            forEachChunk(chunk -> {
                MembershipEngine.Outcome o = engine.process(chunk, Map.of(), segments, true);
                c[0] += chunk.size();
                c[1] += o.entered();
                c[2] += o.left();
            });
            log.info("Segment refresh: {} customers, {} entries, {} exits", c[0], c[1], c[2]);
            return c;
        } finally {
            refreshing.set(false);
        }
    }

    private void forEachChunk(java.util.function.Consumer<List<String>> work) {
        Query q = new Query().with(Sort.by("_id"));
        q.fields().include("_id");
        List<String> chunk = new ArrayList<>(props.chunk());
        try (Stream<Document> ids = mongo.stream(q, Document.class, "customers")) {
            ids.forEach(d -> {
                chunk.add(String.valueOf(d.get("_id")));
                if (chunk.size() == props.chunk()) {
                    work.accept(List.copyOf(chunk));
                    chunk.clear();
                }
            });
        }
        if (!chunk.isEmpty()) work.accept(List.copyOf(chunk));
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
