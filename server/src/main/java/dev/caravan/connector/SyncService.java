package dev.caravan.connector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.caravan.common.CaravanProperties;
import dev.caravan.common.job.Job;
import dev.caravan.common.job.JobService;
import dev.caravan.common.web.ConflictException;
import dev.caravan.ingest.IngestPipeline;
import dev.caravan.ingest.IngestRecord;
import dev.caravan.integrations.marketplace.ConnectionSpec;
import dev.caravan.integrations.marketplace.MarketplaceHttp;
import dev.caravan.integrations.marketplace.MarketplaceRoutes;
import dev.caravan.integrations.marketplace.MarketplaceType;
import dev.caravan.integrations.marketplace.SkippedRecord;
import dev.caravan.integrations.marketplace.SyncException;
import dev.caravan.integrations.marketplace.SyncHost;
import dev.caravan.integrations.marketplace.SyncListener;
import dev.caravan.integrations.marketplace.SyncPage;
import dev.caravan.integrations.marketplace.SyncRequest;
import dev.caravan.integrations.marketplace.SyncResult;
import dev.caravan.security.SecretBox;
import jakarta.annotation.PreDestroy;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Runs syncs: claims a connection (a lease in its document, so two servers never sync one account at once), runs
 * each of its streams through the Camel routes from the saved cursor, stores every page through the ingest
 * pipeline, then saves the cursor. A failure keeps the cursor of the last stored page, so the next run (after an
 * error or a restart) continues exactly there; re-reading a page is harmless because every write is idempotent.
 */
@Service
public class SyncService implements SyncHost {

    private static final Logger log = LoggerFactory.getLogger(SyncService.class);
    static final String JOB_KIND = "connector-sync";

    private final ConnectionService connections;
    private final RecordMapper mapper;
    private final IngestPipeline pipeline;
    private final JobService jobs;
    private final ConnectorProperties props;
    private final Clock clock;
    private final ObjectProvider<MarketplaceRoutes> routes;
    private final ObjectProvider<ProducerTemplate> producer;
    private final String owner;
    private final Map<String, String> pendingJobs = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    SyncService(ConnectionService connections, RecordMapper mapper, IngestPipeline pipeline, JobService jobs,
                ConnectorProperties props, Clock clock, ObjectProvider<MarketplaceRoutes> routes,
                ObjectProvider<ProducerTemplate> producer, CaravanProperties caravan) {
        this.owner = ownerId(caravan);
        this.connections = connections;
        this.mapper = mapper;
        this.pipeline = pipeline;
        this.jobs = jobs;
        this.props = props;
        this.clock = clock;
        this.routes = routes;
        this.producer = producer;
        connections.onCredentialsChanged(() -> routes.getObject().tokens().clear());
    }

    /** What one run did, per stream. */
    /** @param storeMillis time spent storing pages (mapping and the ingest pipeline), the rest is fetching */
    public record RunReport(String connectionId, List<SyncResult> streams, String error, long storeMillis) {
        public int orders() { return streams.stream().mapToInt(SyncResult::orders).sum(); }
        public int customers() { return streams.stream().mapToInt(SyncResult::customers).sum(); }
        public int skipped() { return streams.stream().mapToInt(SyncResult::skipped).sum(); }
        public int requests() { return streams.stream().mapToInt(SyncResult::requests).sum(); }
    }

    /**
     * Leases are owned by this host and data directory, so after a crash and restart the server takes back its own
     * stale leases at once instead of waiting for them to expire.
     */
    static String ownerId(CaravanProperties caravan) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return "server:" + host + ":" + Integer.toHexString(caravan.resolve("").toString().hashCode());
    }

    /** On start: leases this server held when it stopped belong to syncs that are no longer running. */
    @EventListener(ApplicationReadyEvent.class)
    public void recoverAfterRestart() {
        long released = connections.releaseLeasesOf(owner);
        if (released > 0) {
            log.info("Released {} connection lease(s) left by this server's previous run", released);
        }
    }

    @Override
    public List<String> claimDue() {
        if (stopping) return List.of();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < Math.max(1, props.concurrentSyncs()) * 2; i++) {
            Connection c = connections.claimDue(owner);
            if (c == null) break;
            ids.add(c.getId());
        }
        return ids;
    }

    @Override
    public void runClaimed(String connectionId) {
        run(connectionId, pendingJobs.remove(connectionId));
    }

    /** Starts a sync now as a background job; 409 when one is running. */
    public Job start(String connectionId, String actor) {
        Connection c = connections.get(connectionId);
        if (!c.isEnabled()) throw new ConflictException("connection " + connectionId + " is disabled; enable it first");
        if (connections.claimNow(connectionId, owner) == null) {
            throw new ConflictException("a sync of connection " + connectionId + " is running");
        }
        Job job = jobs.create(JOB_KIND, Map.of("connectionId", connectionId, "type", c.getType()), actor);
        pendingJobs.put(connectionId, job.getId());
        producer.getObject().sendBody(MarketplaceRoutes.QUEUE, connectionId);
        return job;
    }

    /** Runs a sync in the calling thread (tests, benchmarks); 409 when one is running. */
    public RunReport syncNow(String connectionId) {
        if (connections.claimNow(connectionId, owner) == null) {
            throw new ConflictException("a sync of connection " + connectionId + " is running");
        }
        return run(connectionId, null);
    }

    private RunReport run(String id, String jobId) {
        Connection c = connections.find(id).orElse(null);
        if (c == null) {
            if (jobId != null) jobs.failed(jobId, "the connection was deleted");
            return new RunReport(id, List.of(), "deleted", 0);
        }
        if (jobId != null) jobs.started(jobId);
        List<SyncResult> results = new ArrayList<>();
        Map<String, Long> counters = new LinkedHashMap<>();
        long[] storeNanos = new long[1];
        try {
            if (!c.isEnabled()) {
                connections.released(id);
                if (jobId != null) jobs.failed(jobId, "the connection is disabled");
                return new RunReport(id, results, "disabled", 0);
            }
            MarketplaceType type = connections.typeOf(c);
            ConnectionSpec spec = connections.spec(c);
            boolean stopped = false;
            for (String stream : type.streams()) {
                Sink sink = new Sink(c, stream, jobId, counters, storeNanos);
                SyncResult r = routes.getObject().sync(new SyncRequest(spec, stream, c.getCursors().get(stream), c.getSyncFrom(),
                        sink));
                results.add(r);
                if (r.stopped()) {
                    stopped = true;
                    break;
                }
            }
            if (stopped) {
                connections.released(id);
                if (jobId != null) jobs.failed(jobId, "stopped: the connection was disabled or the server is stopping");
            } else {
                connections.succeeded(id, connections.pollInterval(c));
                if (jobId != null) jobs.succeeded(jobId, counters, summary(results));
            }
            return new RunReport(id, results, null, storeNanos[0] / 1_000_000);
        } catch (SyncException e) {
            Duration retry = retryDelay(c, e);
            log.warn("Connection {} ({}) sync failed{}: {}", id, c.getType(), e.retryable() ? "" : " (needs attention)",
                    e.getMessage());
            connections.failed(id, e.getMessage(), retry);
            if (jobId != null) jobs.failed(jobId, e.getMessage());
            return new RunReport(id, results, e.getMessage(), storeNanos[0] / 1_000_000);
        } catch (SecretBox.SecretUnreadableException e) {
            log.error("Connection {}: {}", id, e.getMessage());
            connections.failed(id, e.getMessage(), connections.pollInterval(c));
            if (jobId != null) jobs.failed(jobId, e.getMessage());
            return new RunReport(id, results, e.getMessage(), storeNanos[0] / 1_000_000);
        } catch (RuntimeException e) {
            log.error("Connection {} ({}) sync failed unexpectedly", id, c.getType(), e);
            String message = "unexpected failure: " + e.getClass().getSimpleName() + ": " + e.getMessage();
            connections.failed(id, message, retryDelay(c, null));
            if (jobId != null) jobs.failed(jobId, message);
            return new RunReport(id, results, message, storeNanos[0] / 1_000_000);
        }
    }

    private Duration retryDelay(Connection c, SyncException e) {
        if (e instanceof MarketplaceHttp.RateLimitedException) {
            Duration after = ((MarketplaceHttp.RateLimitedException) e).retryAfter();
            if (after != null && after.compareTo(props.failureRetry()) > 0) return after;
        }
        Duration poll = connections.pollInterval(c);
        Duration d = props.failureRetry().multipliedBy(1L << Math.min(10, c.getConsecutiveFailures()));
        return d.compareTo(poll) > 0 ? poll : d;
    }

    private static String summary(List<SyncResult> results) {
        StringBuilder b = new StringBuilder();
        for (SyncResult r : results) {
            if (b.length() > 0) b.append("; ");
            b.append(r.stream()).append(": ").append(r.pages()).append(" pages, ")
                    .append(r.orders() + r.customers()).append(" records");
            if (r.skipped() > 0) b.append(", ").append(r.skipped()).append(" skipped");
        }
        return b.toString();
    }

    @PreDestroy
    void stop() {
        stopping = true;
    }

    /** Stores pages of one stream of one run. */
    private final class Sink implements SyncListener {
        private final Connection c;
        private final String stream;
        private final String jobId;
        private final Map<String, Long> counters;
        private final String source;
        private final long[] storeNanos;

        Sink(Connection c, String stream, String jobId, Map<String, Long> counters, long[] storeNanos) {
            this.storeNanos = storeNanos;
            this.c = c;
            this.stream = stream;
            this.jobId = jobId;
            this.counters = counters;
            this.source = "connector:" + c.getId();
        }

        @Override
        public void onPage(SyncPage page) {
            long started = System.nanoTime();
            RecordMapper.Mapped mapped = mapper.map(page.orders(), page.customers(), c.getType(), c.getStoreId(),
                    source, c.getLiveFrom());
            List<String> skipped = new ArrayList<>();
            for (SkippedRecord s : page.skipped()) {
                skipped.add(stream + " " + s.reference() + ": " + s.reason());
            }
            skipped.addAll(mapped.skipped());
            skipped.addAll(write(mapped.history(), false));
            skipped.addAll(write(mapped.live(), true));
            if (!skipped.isEmpty()) {
                log.warn("Connection {} {}: skipped {} record(s) of a page: {}", c.getId(), stream, skipped.size(),
                        skipped.size() > 3 ? skipped.subList(0, 3) + "..." : skipped);
            }
            connections.pageStored(c.getId(), stream, page.next(), page.orders().size(), page.customers().size(),
                    skipped);
            counters.merge("pages", 1L, Long::sum);
            counters.merge("orders", (long) page.orders().size(), Long::sum);
            counters.merge("customers", (long) page.customers().size(), Long::sum);
            counters.merge("skipped", (long) skipped.size(), Long::sum);
            if (jobId != null) jobs.progress(jobId, 0, counters);
            storeNanos[0] += System.nanoTime() - started;
        }

        private List<String> write(List<IngestRecord> records, boolean live) {
            if (records.isEmpty()) return List.of();
            IngestPipeline.Outcome outcome = pipeline.write(records, live, source, "connector:" + c.getType());
            List<String> rejected = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                IngestPipeline.ItemOutcome o = outcome.items().get(i);
                if (o.status() == IngestPipeline.Status.REJECTED) {
                    IngestRecord r = records.get(i);
                    String ref = r.order() != null ? r.order().externalId() : r.profile() != null
                            ? String.valueOf(r.profile().buyerId()) : "#" + i;
                    rejected.add(stream + " " + ref + ": " + o.error());
                }
            }
            return rejected;
        }

        @Override
        public void onRefreshTokenRotated(String refreshToken) {
            connections.rotateCredential(c.getId(), "refreshToken", refreshToken);
        }

        @Override
        public boolean stopRequested() {
            if (stopping) return true;
            return connections.find(c.getId()).map(x -> !x.isEnabled()).orElse(true);
        }
    }

    /** For tests and the benchmark: forget cached tokens and rate pacing, as a restart does. */
    public void forgetRuntimeState() {
        routes.getObject().tokens().clear();
        routes.getObject().http().resetRateGates();
    }

    Instant now() {
        return clock.instant();
    }
}
