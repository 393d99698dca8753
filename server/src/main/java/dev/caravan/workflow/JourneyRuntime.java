package dev.caravan.workflow;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import dev.caravan.customer.Customer;
import dev.caravan.customer.CustomersChanged;
import dev.caravan.order.Order;
import dev.caravan.order.PurchaseHistories;
import org.bson.Document;
import org.jbpm.flow.serialization.ProcessInstanceMarshallerService;
import org.kie.kogito.internal.process.runtime.KogitoProcessInstance;
import org.kie.kogito.process.Process;
import org.kie.kogito.process.ProcessInstance;
import org.kie.kogito.process.SignalFactory;
import org.kie.kogito.process.bpmn2.BpmnVariables;
import org.kie.kogito.services.jobs.impl.TriggerJobCommand;
import org.kie.kogito.services.uow.UnitOfWorkExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * The live journey engine: starts journeys from triggers, routes triggers to the customer's running instances by
 * key, fires due timers and waits, cancels instances. All work goes through {@code journey_work}: triggers are queued
 * there by the event adapters (so ingestion never waits for journeys), timers and waits are scheduled there by the
 * engine, and a poller claims due work with a lease and runs it on a few workers. Work of one customer runs in order
 * on one worker; instance writes are checked by revision, so servers sharing a store never clobber each other.
 */
public class JourneyRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JourneyRuntime.class);
    private static final ThreadLocal<String> CURRENT_CUSTOMER = new ThreadLocal<>();
    private static final int STRIPES = 256;

    final MongoTemplate mongo;
    final Clock clock;
    final WorkflowProperties props;
    final WorkStore work;
    final InstanceStore instances;
    final Participations participations;
    final JourneyRepository repository;
    final BpmnCompiler compiler = new BpmnCompiler();
    private final JourneyMessenger messenger;
    private final CouponIssuer coupons;
    private final PurchaseHistories histories;
    private final ApplicationEventPublisher events;
    private final Supplier<HolidayCalendar> calendar;
    private final String baseCurrency;
    private final JourneyEngine engine;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final String owner = "srv-" + UUID.randomUUID();
    private final ExecutorService workers;
    private final Random random = new SecureRandom();
    private final Object wake = new Object();
    private final Map<String, Object> loading = new ConcurrentHashMap<>();
    private volatile Map<String, JourneyRepository.Head> heads = Map.of();
    private volatile long headsReadAt;
    private volatile Thread poller;
    private volatile boolean stopped;
    private final java.util.concurrent.atomic.AtomicLong fired = new java.util.concurrent.atomic.AtomicLong();

    JourneyRuntime(MongoTemplate mongo, Clock clock, WorkflowProperties props, JourneyMessenger messenger,
                   CouponIssuer coupons, PurchaseHistories histories, ApplicationEventPublisher events,
                   Supplier<HolidayCalendar> calendar) {
        this(mongo, clock, props, messenger, coupons, histories, events, calendar, "USD");
    }

    /** @param baseCurrency the shop's base currency ({@code caravan.money.base-currency}): coupon amounts are in it */
    JourneyRuntime(MongoTemplate mongo, Clock clock, WorkflowProperties props, JourneyMessenger messenger,
                   CouponIssuer coupons, PurchaseHistories histories, ApplicationEventPublisher events,
                   Supplier<HolidayCalendar> calendar, String baseCurrency) {
        this.mongo = mongo;
        this.baseCurrency = baseCurrency;
        this.clock = clock;
        this.props = props;
        this.messenger = messenger;
        this.coupons = coupons;
        this.histories = histories;
        this.events = events;
        this.calendar = calendar;
        this.work = new WorkStore(mongo, clock);
        this.instances = new InstanceStore(mongo, clock);
        this.participations = new Participations(mongo, clock);
        this.repository = new JourneyRepository(mongo, clock);
        for (int i = 0; i < STRIPES; i++) stripes[i] = new ReentrantLock();
        ProcessInstanceMarshallerService marshaller = JourneyEngine.marshaller();
        this.engine = new JourneyEngine(
                process -> new MongoProcessInstances((Process<BpmnVariables>) process, instances, marshaller, this::instanceEnded),
                new MongoJobsService(work, clock), new LiveContext(), new LiveSink());
        this.workers = Executors.newFixedThreadPool(Math.max(1, props.workers()), r -> {
            Thread t = new Thread(r, "journey-worker");
            t.setDaemon(true);
            return t;
        });
    }

    String baseCurrency() {
        return baseCurrency;
    }

    static String currentCustomer() {
        return CURRENT_CUSTOMER.get();
    }

    String owner() {
        return owner;
    }

    JourneyEngine engine() {
        return engine;
    }

    long firedCount() {
        return fired.get();
    }

    // ---------------------------------------------------------------- triggers

    /** Queues a trigger (durably); the poller processes it shortly. Non-live triggers are dropped. */
    public void enqueue(JourneyTrigger t) {
        if (!queued(t)) return;
        Document d = triggerWork(t);
        if (work.putIfAbsent(d.getString("_id"), WorkStore.TRIGGER, clock.instant(), t.customerId(), d)) wakeUp();
    }

    /** Queues the triggers of one batch of events with one bulk write. */
    public void enqueueAll(List<JourneyTrigger> triggers) {
        List<Document> docs = new ArrayList<>();
        Instant now = clock.instant();
        for (JourneyTrigger t : triggers) {
            if (!queued(t)) continue;
            Document d = triggerWork(t);
            docs.add(WorkStore.work(d.getString("_id"), WorkStore.TRIGGER, now, t.customerId(), d));
        }
        if (work.putAllIfAbsent(docs) > 0) wakeUp();
    }

    private boolean queued(JourneyTrigger t) {
        return t.live() && t.customerId() != null && listensTo(t.type());
    }

    private Document triggerWork(JourneyTrigger t) {
        String id = "trigger:" + (t.id() == null ? UUID.randomUUID().toString() : t.id());
        return new Document("_id", id).append("type", t.type()).append("payload", new Document(t.payload()))
                .append("at", Date.from(t.at() == null ? clock.instant() : t.at()));
    }

    /** Processes a trigger now, on the calling thread: first signals running instances, then starts journeys. */
    public void process(JourneyTrigger t) {
        if (!t.live() || t.customerId() == null) return;
        withCustomer(t.customerId(), () -> {
            signal(t);
            for (JourneyRepository.Head head : heads().values()) {
                if (!head.triggers().contains(t.type())) continue;
                try {
                    start(head, t);
                } catch (RuntimeException e) {
                    log.warn("Journey {} did not start for customer {}: {}", head.journeyId(), t.customerId(), e.toString());
                    participations.skipped(t.customerId(), head.journeyId(), t.type(), "error: " + e.getMessage());
                }
            }
            return null;
        });
    }

    private void signal(JourneyTrigger t) {
        participations.running(t.customerId()).forEach((journeyId, instanceId) -> {
            Document meta = instances.meta(instanceId);
            if (meta == null || !InstanceStore.ACTIVE.equals(meta.getString("status"))) {
                participations.release(t.customerId(), journeyId, instanceId, false);
                return;
            }
            List<String> waitingFor = meta.getList("eventTypes", String.class, List.of());
            if (!waitingFor.contains(t.type())) return;
            Process<BpmnVariables> p = process(meta.getString("processId"));
            p.instances().findById(instanceId).ifPresent(pi -> inUnitOfWork(() -> {
                pi.send(SignalFactory.of(t.type(), new LinkedHashMap<>(t.payload())));
                return null;
            }));
        });
    }

    /** Starts this journey's current version for the trigger's customer, if the re-entry rules allow it. */
    Optional<String> start(JourneyRepository.Head head, JourneyTrigger t) {
        String cid = t.customerId();
        Customer customer = customer(cid);
        if (customer == null) return Optional.empty();
        Process<BpmnVariables> p = process(head.processId());
        Map<String, Object> vars = new HashMap<>(JourneyFacts.of(customer, history(cid), null, clock.instant()));
        t.payload().forEach((k, v) -> { if (v != null) vars.put(k, v); });
        vars.put("trigger", t.type());
        vars.put("customerId", cid);
        ProcessInstance<BpmnVariables> pi = p.createInstance(cid, BpmnVariables.create(declared(p, vars)));
        if (!claim(cid, head.journeyId(), pi.id())) {
            String why = participations.whyNot(cid, head.journeyId(), props.cooldownOf(head.journeyId()));
            participations.skipped(cid, head.journeyId(), t.type(), why == null ? "entry refused" : why);
            return Optional.empty();
        }
        try {
            inUnitOfWork(() -> {
                pi.start(t.type(), null);
                return null;
            });
        } catch (RuntimeException e) {
            participations.release(cid, head.journeyId(), pi.id(), false);
            instances.end(pi.id(), InstanceStore.ERROR, "error: " + e.getMessage(), StepLog.drain(pi.id()));
            throw e;
        }
        return Optional.of(pi.id());
    }

    /**
     * Takes the slot; a slot still held by an instance that no longer runs (a crash between its end and the release)
     * is freed first.
     */
    private boolean claim(String customerId, String journeyId, String instanceId) {
        if (participations.claim(customerId, journeyId, instanceId, props.cooldownOf(journeyId))) return true;
        String holder = participations.running(customerId).get(journeyId);
        if (holder == null) return false;
        Document meta = instances.meta(holder);
        if (meta != null && InstanceStore.ACTIVE.equals(meta.getString("status"))) return false;
        participations.release(customerId, journeyId, holder, false);
        return participations.claim(customerId, journeyId, instanceId, props.cooldownOf(journeyId));
    }

    static Map<String, Object> declared(Process<BpmnVariables> p, Map<String, Object> vars) {
        var scope = (org.jbpm.process.core.context.variable.VariableScope)
                ((org.jbpm.process.core.Process) ((org.kie.kogito.process.impl.AbstractProcess<?>) p).get())
                        .getDefaultContext(org.jbpm.process.core.context.variable.VariableScope.VARIABLE_SCOPE);
        Map<String, Object> out = new HashMap<>();
        vars.forEach((k, v) -> {
            var def = scope == null ? null : scope.findVariable(k);
            if (def == null) return;
            String type = def.getType() == null ? "" : def.getType().getStringType();
            if (type.endsWith("Integer") && v instanceof Number n) v = n.intValue();
            else if (type.endsWith("String") && !(v instanceof String)) v = String.valueOf(v);
            else if (type.endsWith("Boolean") && v instanceof String s) v = Boolean.parseBoolean(s);
            out.put(k, v);
        });
        // FEEL conditions cannot name a variable without a value: missing numbers are 0, texts "", flags false
        if (scope != null) {
            for (var def : scope.getVariables()) {
                if (out.containsKey(def.getName())) continue;
                String type = def.getType() == null ? "" : def.getType().getStringType();
                if (type.endsWith("Integer")) out.put(def.getName(), 0);
                else if (type.endsWith("Boolean")) out.put(def.getName(), false);
                else if (type.endsWith("String")) out.put(def.getName(), "");
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- instances

    /** Cancels a running instance (support, merges); false when it is not running. */
    public boolean cancel(String instanceId, String reason) {
        Document meta = instances.meta(instanceId);
        if (meta == null || !InstanceStore.ACTIVE.equals(meta.getString("status"))) return false;
        return withCustomer(meta.getString("customerId"), () -> {
            Process<BpmnVariables> p = process(meta.getString("processId"));
            Optional<ProcessInstance<BpmnVariables>> pi = p.instances().findById(instanceId);
            if (pi.isEmpty()) return false;
            StepLog.Pending pending = StepLog.of(instanceId);
            pending.endStatus = InstanceStore.CANCELLED;
            pending.outcome = reason;
            inUnitOfWork(() -> {
                pi.get().abort();
                return null;
            });
            return true;
        });
    }

    /** Called by the instance store when an instance ended: frees the customer's slot in the journey. */
    void instanceEnded(String instanceId, String customerId, String journeyId, boolean effective) {
        participations.release(customerId, journeyId, instanceId, effective);
    }

    private Customer customer(String id) {
        return JourneyReads.customer(id, k -> mongo.findById(k, Customer.class));
    }

    private dev.caravan.order.PurchaseHistory history(String id) {
        return JourneyReads.history(id, histories::of);
    }

    /** Whether any journey starts on this trigger or any loaded journey version waits for it. */
    boolean listensTo(String type) {
        for (JourneyRepository.Head h : heads().values()) {
            if (h.triggers().contains(type) || h.signals().contains(type)) return true;
        }
        return engine.signals().contains(type);
    }

    Process<BpmnVariables> process(String processId) {
        Process<BpmnVariables> p = engine.process(processId);
        if (p != null) return p;
        synchronized (loading.computeIfAbsent(processId, k -> new Object())) {
            p = engine.process(processId);
            if (p != null) return p;
            Document version = repository.version(processId);
            if (version == null) throw new IllegalStateException("journey version " + processId + " is not stored");
            JourneyId id = JourneyId.parse(processId);
            engine.add(id, compiler.compile(id.journeyId(), version.getString("bpmn"), true));
            return engine.process(processId);
        }
    }

    Map<String, JourneyRepository.Head> heads() {
        if (System.currentTimeMillis() - headsReadAt > 5000) refreshHeads();
        return heads;
    }

    void refreshHeads() {
        Map<String, JourneyRepository.Head> map = new LinkedHashMap<>();
        repository.heads().forEach(h -> map.put(h.journeyId(), h));
        heads = map;
        headsReadAt = System.currentTimeMillis();
    }

    // ---------------------------------------------------------------- due work

    /** Starts the background poller (once). */
    public void startPolling() {
        if (!props.enabled() || poller != null) return;
        Thread t = new Thread(this::pollLoop, "journey-poller");
        t.setDaemon(true);
        poller = t;
        t.start();
    }

    private void pollLoop() {
        while (!stopped) {
            try {
                int n = pollOnce();
                if (n == 0) {
                    synchronized (wake) {
                        wake.wait(props.pollInterval().toMillis());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Journey poller: {}", e.toString());
                try {
                    Thread.sleep(props.pollInterval().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void wakeUp() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Runs every due piece of work now (tests, time travel, benchmarks); returns how many ran. */
    public int runDue() {
        int total = 0;
        int n;
        while ((n = pollOnce()) > 0) total += n;
        return total;
    }

    /** Claims one batch of due work and runs it; one poll at a time per server. */
    synchronized int pollOnce() {
        List<Document> claimed = work.claim(owner, props.batchSize(), props.lease());
        if (claimed.isEmpty()) return 0;
        int lanes = Math.max(1, props.workers());
        List<List<Document>> byLane = new ArrayList<>();
        for (int i = 0; i < lanes; i++) byLane.add(new ArrayList<>());
        for (Document d : claimed) {
            String cid = d.getString("customerId");
            byLane.get(Math.floorMod(cid == null ? 0 : cid.hashCode(), lanes)).add(d);
        }
        java.util.Set<String> customerIds = new java.util.LinkedHashSet<>();
        for (Document d : claimed) {
            String cid = d.getString("customerId");
            if (cid != null) customerIds.add(cid);
        }
        JourneyReads reads = JourneyReads.prefetch(mongo, histories, customerIds);
        List<Future<?>> futures = new ArrayList<>();
        for (List<Document> lane : byLane) {
            if (lane.isEmpty()) continue;
            futures.add(workers.submit(() -> reads.around(() -> lane.forEach(this::runClaimed))));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (Exception e) {
                log.warn("Journey worker failed: {}", e.toString());
            }
        }
        return claimed.size();
    }

    private void runClaimed(Document d) {
        String id = d.getString("_id");
        boolean caching = InstanceStore.beginReads();
        try {
            String kind = d.getString("kind");
            boolean done = switch (kind) {
                case WorkStore.TRIGGER -> {
                    Document payload = d.get("payload", Document.class);
                    Date at = d.getDate("at");
                    process(new JourneyTrigger(id, d.getString("customerId"), d.getString("type"),
                            payload == null ? Map.of() : new LinkedHashMap<>(payload), at == null ? null : at.toInstant(), true));
                    yield true;
                }
                case WorkStore.TIMER -> fireTimer(d);
                case WorkStore.WAIT -> completeWait(d);
                default -> true;
            };
            if (done) work.complete(d);
            fired.incrementAndGet();
        } catch (RuntimeException e) {
            log.warn("Journey work {} failed (attempt {}): {}", id, d.getInteger("attempts", 0) + 1, e.toString());
            work.retryLater(d, String.valueOf(e.getMessage()));
        } finally {
            StepLog.clear();
            if (caching) InstanceStore.endReads();
        }
    }

    private boolean fireTimer(Document d) {
        String processId = d.getString("processId");
        String instanceId = d.getString("instanceId");
        String customerId = customerOfInstance(instanceId, d.getString("customerId"));
        if (customerId == null) return true;
        return withCustomer(customerId, () -> {
            Process<BpmnVariables> p = process(processId);
            Number limit = (Number) d.get("limit");
            new TriggerJobCommand(instanceId, d.getString("jobId"), d.getString("timerId"),
                    limit == null ? 0 : limit.intValue(), p, engine.unitOfWork()).execute();
            Number repeat = (Number) d.get("repeatMs");
            if (repeat != null && repeat.longValue() > 0 && limit != null && limit.intValue() > 0) {
                work.reschedule(d, clock.instant().plusMillis(repeat.longValue()), new Document("limit", limit.intValue() - 1));
                return false;
            }
            return true;
        });
    }

    private boolean completeWait(Document d) {
        String instanceId = d.getString("instanceId");
        String customerId = customerOfInstance(instanceId, d.getString("customerId"));
        if (customerId == null) return true;
        return withCustomer(customerId, () -> {
            Process<BpmnVariables> p = process(d.getString("processId"));
            Optional<ProcessInstance<BpmnVariables>> pi = p.instances().findById(instanceId);
            if (pi.isEmpty()) return true;
            boolean waiting = pi.get().workItems().stream().anyMatch(w -> w.getId().equals(d.getString("workItemId")));
            if (!waiting) return true; // already completed (fired before a crash) or aborted
            inUnitOfWork(() -> {
                pi.get().completeWorkItem(d.getString("workItemId"), Map.of());
                return null;
            });
            return true;
        });
    }

    private String customerOfInstance(String instanceId, String fallback) {
        Document meta = instances.meta(instanceId);
        if (meta == null || !InstanceStore.ACTIVE.equals(meta.getString("status"))) return null;
        String cid = meta.getString("customerId");
        return cid == null ? fallback : cid;
    }

    /** Runs work for one customer: serialised per customer within this server, customer id visible to the engine. */
    <T> T withCustomer(String customerId, Supplier<T> work) {
        ReentrantLock lock = stripes[Math.floorMod(customerId.hashCode(), STRIPES)];
        lock.lock();
        String before = CURRENT_CUSTOMER.get();
        CURRENT_CUSTOMER.set(customerId);
        boolean caching = InstanceStore.beginReads();
        try {
            return work.get();
        } finally {
            if (caching) {
                InstanceStore.endReads();
                StepLog.clear();
            }
            if (before == null) CURRENT_CUSTOMER.remove();
            else CURRENT_CUSTOMER.set(before);
            lock.unlock();
        }
    }

    private <T> T inUnitOfWork(Supplier<T> work) {
        return UnitOfWorkExecutor.executeInUnitOfWork(engine.unitOfWork(), work);
    }

    @Override
    public void close() {
        stopped = true;
        wakeUp();
        Thread t = poller;
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.shutdown();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- palette context of the live engine

    private final class LiveSink implements JourneyEngine.StepSink {
        @Override
        public void step(String instanceId, StepLog.Step step) {
            StepLog.add(instanceId, step);
        }

        @Override
        public void ended(String instanceId, int state, String lastEndName) {
            StepLog.Pending p = StepLog.of(instanceId);
            if (p.endStatus == null) {
                p.endStatus = state == KogitoProcessInstance.STATE_COMPLETED ? InstanceStore.COMPLETED : InstanceStore.ABORTED;
            }
            if (p.outcome == null) p.outcome = lastEndName;
        }
    }

    private final class LiveContext implements PaletteContext {
        @Override
        public Instant now() {
            return clock.instant();
        }

        @Override
        public String customerOf(String instanceId, String variableCustomerId) {
            String current = CURRENT_CUSTOMER.get();
            return current != null ? current : variableCustomerId;
        }

        @Override
        public Customer customer(String customerId) {
            return JourneyRuntime.this.customer(customerId);
        }

        @Override
        public Map<String, Object> facts(String customerId, String instanceId) {
            Document meta = instances.meta(instanceId);
            Date started = meta == null ? null : meta.getDate("startedAt");
            return JourneyFacts.of(customer(customerId), history(customerId),
                    started == null ? clock.instant() : started.toInstant(), clock.instant());
        }

        @Override
        public JourneyMessenger.SendResult send(StepRef step, JourneyMessenger.MessageRequest request) {
            JourneyMessenger.SendResult r = messenger.send(request);
            JourneyId j = step.journey();
            Document decision = new Document("_id", step.idempotencyKey()).append("customerId", step.customerId())
                    .append("journeyId", j.journeyId()).append("version", j.version()).append("instanceId", step.instanceId())
                    .append("step", step.nodeId()).append("stepName", step.nodeName()).append("template", request.template())
                    .append("channel", request.channel()).append("purpose", request.purpose())
                    .append("at", Date.from(clock.instant())).append("sent", r.sent()).append("messageId", r.messageId())
                    .append("reason", r.reason()).append("rule", r.rule());
            mongo.getCollection(Decisions.COLLECTION).replaceOne(new Document("_id", step.idempotencyKey()), decision,
                    new com.mongodb.client.model.ReplaceOptions().upsert(true));
            return r;
        }

        @Override
        public String templateLanguage(String template, String channel, String language) {
            return messenger.templateLanguage(template, channel, language);
        }

        @Override
        public CouponIssuer.Coupon coupon(StepRef step, CouponIssuer.CouponRequest request) {
            return coupons.issue(request);
        }

        @Override
        public Optional<CouponIssuer.Coupon> findCoupon(String code) {
            return coupons.find(code);
        }

        @Override
        public Order findOrder(String orderKey) {
            return orderKey == null ? null : mongo.findById(orderKey, Order.class);
        }

        @Override
        public String baseCurrency() {
            return baseCurrency;
        }

        @Override
        public void tag(StepRef step, String tag, boolean add) {
            Update u = add ? new Update().addToSet("tags", tag) : new Update().pull("tags", tag);
            u.set("updatedAt", clock.instant());
            mongo.updateFirst(Query.query(Criteria.where("_id").is(step.customerId())), u, Customer.class);
            JourneyReads.forget(step.customerId());
            events.publishEvent(new CustomersChanged(Set.of(step.customerId()),
                    "journey " + step.journey().journeyId() + (add ? " added tag " : " removed tag ") + tag, true));
        }

        @Override
        public void scheduleWait(StepRef step, Instant fireAt) {
            work.put("wait:" + step.workItemId(), WorkStore.WAIT, fireAt, step.customerId(),
                    new Document("processId", step.processId()).append("instanceId", step.instanceId())
                            .append("workItemId", step.workItemId()).append("step", step.nodeId()));
        }

        @Override
        public void cancelWait(String workItemId) {
            work.delete("wait:" + workItemId);
        }

        @Override
        public void detail(StepRef step, Map<String, Object> detail) {
            StepLog.detail(step.instanceId(), step.nodeId(), detail);
        }

        @Override
        public void goal(StepRef step, String goal) {
            StepLog.of(step.instanceId()).outcome = goal;
            StepLog.detail(step.instanceId(), step.nodeId(), Map.of("goal", goal));
        }

        @Override
        public Random random() {
            return random;
        }

        @Override
        public HolidayCalendar holidays() {
            return calendar.get();
        }

        @Override
        public WorkflowProperties properties() {
            return props;
        }
    }
}
