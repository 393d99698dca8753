package dev.caravan.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import dev.caravan.analytics.model.BgNbd;
import dev.caravan.analytics.model.BgNbdData;
import dev.caravan.analytics.model.ClvScorer;
import dev.caravan.analytics.model.GammaGamma;
import dev.caravan.analytics.model.NonConvergenceException;
import dev.caravan.common.job.Job;
import dev.caravan.common.job.JobService;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.NotFoundException;
import dev.caravan.customer.CustomersChanged;
import dev.caravan.customer.Predictions;
import dev.caravan.money.ExchangeRateService;
import jakarta.annotation.PreDestroy;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Fits the BG/NBD and Gamma-Gamma models as background jobs, stores the fitted parameters in {@code clv_models}
 * and writes every customer's predictions onto the profile ({@code customers.predictions}) with targeted
 * {@code $set} updates, so concurrent metric increments by ingestion are never overwritten. Refits nightly
 * ({@code caravan.analytics.refit-cron}) and on demand; between refits, customers whose orders change are rescored
 * with the active model by {@link PredictionRefresher}.
 */
@Service
public class ClvService {

    public static final String JOB_KIND = "clv-fit";
    /** The {@link CustomersChanged#cause()} of prediction updates; the refresher ignores its own events. */
    public static final String PREDICTIONS_CAUSE = "predictions";
    static final String TIME_UNIT = "days";
    private static final Logger log = LoggerFactory.getLogger(ClvService.class);
    private static final int WRITE_BATCH = 1000;
    private static final int EVENT_BATCH = 5000;
    private static final int MIN_CUSTOMERS = 10;

    private final JobService jobs;
    private final MongoTemplate mongo;
    private final PurchaseReader reader;
    private final CustomerZones zones;
    private final ObjectProvider<EngagementTimes> engagement;
    private final AnalyticsProperties props;
    private final ExchangeRateService rates;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final ZoneId zone;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "clv-fit");
        t.setDaemon(true);
        return t;
    });

    public ClvService(JobService jobs, MongoTemplate mongo, PurchaseReader reader, CustomerZones zones,
                      ObjectProvider<EngagementTimes> engagement, AnalyticsProperties props, ExchangeRateService rates,
                      ApplicationEventPublisher events, Clock clock) {
        this.jobs = jobs;
        this.mongo = mongo;
        this.reader = reader;
        this.zones = zones;
        this.engagement = engagement;
        this.props = props;
        this.rates = rates;
        this.events = events;
        this.clock = clock;
        this.zone = ZoneId.of(props.zone());
    }

    LocalDate today() {
        return LocalDate.now(clock.withZone(zone));
    }

    /** Queues a fit; {@code cutoff} defaults to today, {@code platform} to all platforms. */
    public Job submit(LocalDate cutoff, String platform, String actor) {
        LocalDate today = today();
        if (cutoff != null && cutoff.isAfter(today)) {
            throw new BadRequestException("cutoff " + cutoff + " lies in the future (today is " + today + " in "
                    + zone + ")");
        }
        String p = platform == null || platform.isBlank() ? null : platform.trim();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("cutoff", (cutoff == null ? today : cutoff).toString());
        if (p != null) params.put("platform", p);
        Job job = jobs.create(JOB_KIND, params, actor);
        executor.submit(() -> run(job.getId()));
        return job;
    }

    public Job job(String id) {
        return jobs.find(id, JOB_KIND).orElseThrow(() -> new NotFoundException("CLV fit " + id + " not found"));
    }

    public Optional<ClvModel> modelOfJob(String jobId) {
        return Optional.ofNullable(mongo.findOne(Query.query(Criteria.where("jobId").is(jobId)), ClvModel.class));
    }

    /** The most recent fit for a platform ({@code null}: over all platforms). */
    public Optional<ClvModel> latest(String platform) {
        Query q = Query.query(Criteria.where("platform").is(platform == null || platform.isBlank() ? null : platform))
                .with(Sort.by(Sort.Direction.DESC, "fittedAt", "_id")).limit(1);
        return Optional.ofNullable(mongo.findOne(q, ClvModel.class));
    }

    /** The model that scores profiles: the latest active one. */
    public Optional<ClvModel> active() {
        Query q = Query.query(Criteria.where("active").is(true)).with(Sort.by(Sort.Direction.DESC, "fittedAt", "_id")).limit(1);
        return Optional.ofNullable(mongo.findOne(q, ClvModel.class));
    }

    @Scheduled(cron = "${caravan.analytics.refit-cron:0 30 2 * * *}")
    @SchedulerLock(name = "clv-refit")
    void nightly() {
        if (!props.refitEnabled()) return;
        boolean pending = !jobs.unfinished(JOB_KIND).isEmpty();
        if (!pending) submit(null, null, "scheduler");
    }

    @EventListener(ApplicationReadyEvent.class)
    public void resumeUnfinished() {
        for (Job job : jobs.unfinished(JOB_KIND)) {
            log.info("Resuming CLV fit {} left unfinished", job.getId());
            executor.submit(() -> run(job.getId()));
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    void run(String jobId) {
        Job job = jobs.find(jobId).orElse(null);
        if (job == null) return;
        jobs.started(jobId);
        try {
            String message = fit(job);
            jobs.succeeded(jobId, Map.of(), message);
        } catch (NonConvergenceException e) {
            log.warn("CLV fit {} did not converge: {}", jobId, e.getMessage());
            jobs.failed(jobId, "the model fit did not converge: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            jobs.failed(jobId, e.getMessage());
        } catch (RuntimeException e) {
            log.error("CLV fit {} failed", jobId, e);
            jobs.failed(jobId, "the fit failed: " + e);
        }
    }

    private String fit(Job job) {
        String jobId = job.getId();
        LocalDate today = today();
        LocalDate cutoff = LocalDate.parse(job.param("cutoff"));
        String platform = job.param("platform");
        AtomicLong read = new AtomicLong();
        long total = Math.max(1, mongo.getCollection(PurchaseReader.COLLECTION).estimatedDocumentCount());
        ClvInputs in = ClvInputs.read(reader, zones, engagement.orderedStream().toList(), null, platform, cutoff,
                today, zone, () -> {
                    long n = read.incrementAndGet();
                    if (n % 20_000 == 0) jobs.progress(jobId, 30.0 * n / total, Map.of("customersRead", n));
                });
        jobs.progress(jobId, 30, Map.of("customersRead", read.get(), "customers", (long) in.size,
                "repeatCustomers", (long) in.repeatCustomers()));
        if (in.size < MIN_CUSTOMERS) {
            throw new IllegalArgumentException("only " + in.size + " customers bought on or before " + cutoff
                    + (platform == null ? "" : " on platform " + platform) + "; the models need at least "
                    + MIN_CUSTOMERS);
        }
        if (in.repeatCustomers() == 0) {
            throw new IllegalArgumentException("no customer bought twice on or before " + cutoff
                    + "; the models cannot be fitted without repeat purchases");
        }
        int[] x = in.x();
        BgNbd.Fit purchaseFit = BgNbd.fit(BgNbdData.of(x, in.tx(), in.t()));
        if (!purchaseFit.converged()) {
            throw new NonConvergenceException("BG/NBD: " + String.join("; ", purchaseFit.warnings()));
        }
        List<String> warnings = new ArrayList<>();
        GammaGamma.Fit spendFit = null;
        try {
            spendFit = GammaGamma.fit(GammaGamma.Data.of(x, in.monetary()));
            warnings.addAll(spendFit.warnings());
            if (!spendFit.converged() || spendFit.model().q() <= 1) {
                warnings.add("the Gamma-Gamma spend model is not usable; order values and CLV are left empty");
                spendFit = spendFit.converged() && spendFit.model().q() > 1 ? spendFit : null;
            }
        } catch (NonConvergenceException | IllegalArgumentException e) {
            warnings.add("Gamma-Gamma spend model: " + e.getMessage() + "; order values and CLV are left empty");
        }
        jobs.progress(jobId, 40, Map.of("bgNbdEvaluations", (long) purchaseFit.evaluations()));

        BgNbd bgnbd = purchaseFit.model();
        GammaGamma gg = spendFit == null ? null : spendFit.model();
        ClvModel.Holdout holdout = cutoff.isBefore(today) ? holdout(in, bgnbd, today.toEpochDay() - cutoff.toEpochDay()) : null;
        boolean active = platform == null && cutoff.equals(today);
        String modelId = new ObjectId().toHexString();
        Instant now = clock.instant();
        ClvModel model = new ClvModel(modelId, jobId, platform, cutoff, TIME_UNIT, rates.baseCurrency(),
                purchaseModel(purchaseFit), spendFit == null ? null : spendModel(spendFit), holdout, in.size,
                in.repeatCustomers(), false, 0, props.horizonDays(), props.discountRate(), props.margin(), now,
                List.copyOf(warnings));
        mongo.insert(model);
        long scored = 0;
        if (active) {
            scored = write(in, model, now, (done) -> jobs.progress(jobId, 40 + 60.0 * done / in.size,
                    Map.of("scored", done)));
            mongo.updateMulti(Query.query(Criteria.where("active").is(true).and("_id").ne(modelId)),
                    new Update().set("active", false), ClvModel.class);
            mongo.updateFirst(Query.query(Criteria.where("_id").is(modelId)),
                    new Update().set("active", true).set("scored", scored), ClvModel.class);
        }
        events.publishEvent(new ClvModelFitted(modelId, platform, active, scored));
        jobs.progress(jobId, 100, Map.of("scored", scored));
        return String.format(java.util.Locale.ROOT, "model %s: r=%.4g alpha=%.4g a=%.4g b=%.4g (alpha in days)%s; %d customers%s",
                modelId, bgnbd.r(), bgnbd.alpha(), bgnbd.a(), bgnbd.b(),
                gg == null ? "; no spend model" : String.format(java.util.Locale.ROOT, "; p=%.4g q=%.4g v=%.4g", gg.p(), gg.q(), gg.v()),
                in.size, active ? "; " + scored + " profiles scored" + (scored < in.size ? " (" + (in.size - scored)
                        + " could not be scored, see the log)" : "")
                        : "; not active (cut-off in the past or one platform)");
    }

    private static ClvModel.Holdout holdout(ClvInputs in, BgNbd model, long days) {
        double predicted = 0;
        double actual = 0;
        double[] pg = new double[8];
        double[] ag = new double[8];
        int[] ng = new int[8];
        for (int i = 0; i < in.size; i++) {
            double e = model.expectedPurchases(days, in.x[i], in.tx[i], in.t[i]);
            predicted += e;
            actual += in.holdout[i];
            int g = Math.min(7, in.x[i]);
            pg[g] += e;
            ag[g] += in.holdout[i];
            ng[g]++;
        }
        List<ClvModel.Group> groups = new ArrayList<>();
        for (int g = 0; g < 8; g++) {
            if (ng[g] > 0) groups.add(new ClvModel.Group(g == 7 ? "7+" : String.valueOf(g), ng[g], pg[g] / ng[g], ag[g] / ng[g]));
        }
        return new ClvModel.Holdout(days, predicted, actual, actual == 0 ? null : (Double) ((predicted - actual) / actual), groups);
    }

    private static ClvModel.PurchaseModel purchaseModel(BgNbd.Fit f) {
        BgNbd m = f.model();
        return new ClvModel.PurchaseModel(m.r(), m.alpha(), m.a(), m.b(), f.logLikelihood(), f.customers(),
                f.evaluations(), errors(f.standardErrors()), f.converged(), f.warnings());
    }

    private static ClvModel.SpendModel spendModel(GammaGamma.Fit f) {
        GammaGamma m = f.model();
        return new ClvModel.SpendModel(m.p(), m.q(), m.v(), f.logLikelihood(), f.customers(), f.evaluations(),
                errors(f.standardErrors()), f.converged(), m.populationMean(), f.warnings());
    }

    private static ClvModel.StandardErrors errors(double[] se) {
        return new ClvModel.StandardErrors(Arrays.stream(se).mapToObj(v -> Double.isFinite(v) ? v : null).toList());
    }

    /** Rescores these customers with the active model (cut-off today); returns how many profiles were written. */
    public long rescore(Collection<String> customerIds) {
        if (customerIds.isEmpty()) return 0;
        Optional<ClvModel> model = active();
        if (model.isEmpty()) return 0;
        LocalDate today = today();
        ClvInputs in = ClvInputs.read(reader, zones, engagement.orderedStream().toList(), customerIds, null, today,
                today, zone, () -> { });
        return write(in, model.get(), clock.instant(), done -> { });
    }

    /** Scores every customer of {@code in} and $sets their predictions in batches; publishes CustomersChanged. */
    private long write(ClvInputs in, ClvModel model, Instant now, java.util.function.LongConsumer progress) {
        BgNbd bgnbd = model.purchases().model();
        GammaGamma gg = model.spend() == null ? null : model.spend().model();
        ClvScorer scorer = new ClvScorer(bgnbd, gg, model.horizonDays(), props.clvStepDays(), model.discountRate(),
                model.margin());
        ClvScorer.Scores scores = scorer.scoreAll(in.x, in.tx, in.t, in.monetary, in.size);
        if (scores.failures > 0) {
            log.warn("{} customers could not be scored and keep their previous predictions: {}", scores.failures,
                    scores.firstFailure);
        }
        long written = 0;
        BulkOperations bulk = null;
        int inBulk = 0;
        Set<String> changed = new LinkedHashSet<>();
        for (int i = 0; i < in.size; i++) {
            if (Double.isNaN(scores.pAlive[i])) continue;
            double days = (bgnbd.alpha() + in.t[i]) / (bgnbd.r() + in.x[i]);
            Instant next = in.lastPurchase[i] == Long.MIN_VALUE ? null
                    : Instant.ofEpochMilli(in.lastPurchase[i]).plusSeconds(Math.round(days * 86_400));
            Predictions p = new Predictions(round(scores.pAlive[i], 6), round(scores.expectedPurchases[i], 6),
                    model.horizonDays(), money(scores.expectedOrderValue[i]), money(scores.clv[i]), next,
                    in.bestHour[i] < 0 ? null : in.bestHour[i], model.id(), now);
            if (bulk == null) bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, dev.caravan.customer.Customer.class);
            bulk.updateOne(Query.query(Criteria.where("_id").is(in.ids[i])), new Update().set("predictions", toDocument(p)));
            changed.add(in.ids[i]);
            inBulk++;
            written++;
            if (inBulk == WRITE_BATCH) {
                bulk.execute();
                bulk = null;
                inBulk = 0;
                progress.accept(written);
            }
            if (changed.size() >= EVENT_BATCH) {
                events.publishEvent(new CustomersChanged(Set.copyOf(changed), PREDICTIONS_CAUSE, false));
                changed.clear();
            }
        }
        if (bulk != null) bulk.execute();
        if (!changed.isEmpty()) events.publishEvent(new CustomersChanged(Set.copyOf(changed), PREDICTIONS_CAUSE, false));
        progress.accept(written);
        return written;
    }

    private Document toDocument(Predictions p) {
        Document doc = new Document();
        mongo.getConverter().write(p, doc);
        doc.remove("_class");
        return doc;
    }

    private static Double round(double v, int digits) {
        if (!Double.isFinite(v)) return null;
        return BigDecimal.valueOf(v).setScale(digits, RoundingMode.HALF_EVEN).doubleValue();
    }

    private static BigDecimal money(double v) {
        return Double.isFinite(v) ? BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN) : null;
    }
}
