package dev.caravan.workflow;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;

import dev.caravan.customer.Customer;
import dev.caravan.order.PurchaseHistories;
import dev.caravan.order.PurchaseHistory;
import org.kie.kogito.jobs.JobDescription;
import org.kie.kogito.jobs.JobsService;
import org.kie.kogito.jobs.descriptors.ProcessInstanceJobDescription;
import org.kie.kogito.process.Process;
import org.kie.kogito.process.ProcessInstance;
import org.kie.kogito.process.bpmn2.BpmnVariables;
import org.kie.kogito.services.jobs.impl.TriggerJobCommand;
import org.kie.kogito.services.uow.UnitOfWorkExecutor;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.query.Query;

/**
 * Journey dry-runs: the candidate BPMN runs in a private in-memory engine on a virtual clock, once per customer of the
 * current base, for the next N days. Nothing is sent or stored: sends ask the messaging port whether they would be
 * allowed and when (consent, caps, quiet hours), coupons and tags are only counted. Event triggers are simulated as
 * if the journey's first trigger happened to every eligible customer now and nothing else happened afterwards
 * (no orders); birthday and holiday journeys enter on the customer's birthday or holidays within the window.
 */
public class DryRunService {

    private final JourneyRuntime runtime;
    private final JourneyMessenger messenger;
    private final PurchaseHistories histories;
    private final WorkflowProperties props;
    private final java.util.function.Supplier<HolidayCalendar> calendar;

    DryRunService(JourneyRuntime runtime, JourneyMessenger messenger, PurchaseHistories histories, WorkflowProperties props,
                  java.util.function.Supplier<HolidayCalendar> calendar) {
        this.runtime = runtime;
        this.messenger = messenger;
        this.histories = histories;
        this.props = props;
        this.calendar = calendar;
    }

    public Map<String, Object> run(String journeyId, String bpmn, boolean allowScripts, int days, int samples, int limit) {
        BpmnCompiler.Compiled compiled = runtime.compiler.compile(journeyId, bpmn, allowScripts);
        Sim sim = new Sim();
        JourneyEngine engine = new JourneyEngine(null, sim, sim, sim);
        JourneyId id = new JourneyId(journeyId, 0);
        engine.add(id, compiled);
        sim.engine = engine;
        Process<BpmnVariables> process = engine.process(id.processId());
        Instant start = runtime.clock.instant();
        Instant end = start.plus(Duration.ofDays(days));
        String firstTrigger = compiled.triggers().iterator().next();
        HolidayCalendar holidays = calendar.get();
        Duration cooldown = props.cooldownOf(journeyId);

        int simulated = 0;
        int entered = 0;
        Map<String, Long> notEligible = new TreeMap<>();
        Query q = new Query().with(Sort.by("_id")).limit(limit);
        List<Customer> batch = new ArrayList<>();
        try (var stream = runtime.mongo.stream(q, Customer.class)) {
            var it = stream.iterator();
            while (it.hasNext() || !batch.isEmpty()) {
                if (it.hasNext()) batch.add(it.next());
                if (batch.size() < 500 && it.hasNext()) continue;
                Map<String, PurchaseHistory> hist = histories.of(batch.stream().map(Customer::getId).toList());
                for (Customer c : batch) {
                    simulated++;
                    String why = runtime.participations.whyNot(c.getId(), journeyId, cooldown);
                    if (why != null) {
                        notEligible.merge(why.startsWith("cool-down") ? "in cool-down" : "already in the journey", 1L, Long::sum);
                        continue;
                    }
                    for (Entry e : entries(compiled, firstTrigger, c, start, end, holidays)) {
                        sim.now = e.at();
                        sim.customer = c;
                        sim.history = hist.get(c.getId());
                        sim.path = new ArrayList<>();
                        Map<String, Object> vars = new HashMap<>(JourneyFacts.of(c, sim.history, null, sim.now));
                        vars.putAll(e.payload());
                        vars.put("trigger", e.trigger());
                        vars.put("customerId", c.getId());
                        ProcessInstance<BpmnVariables> pi = process.createInstance(c.getId(),
                                BpmnVariables.create(JourneyRuntime.declared(process, vars)));
                        sim.instanceStart = sim.now;
                        UnitOfWorkExecutor.executeInUnitOfWork(engine.unitOfWork(), () -> {
                            pi.start(e.trigger(), null);
                            return null;
                        });
                        sim.drain(process, end);
                        entered++;
                        if (sim.samples.size() < samples) {
                            sim.samples.add(Map.of("customerId", c.getId(), "trigger", e.trigger(), "path", sim.path));
                        }
                        break; // one entry per customer in the window (at most one running instance)
                    }
                }
                batch.clear();
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("journeyId", journeyId);
        out.put("name", compiled.name());
        out.put("from", start);
        out.put("to", end);
        out.put("simulatedCustomers", simulated);
        out.put("entered", entered);
        out.put("notEligible", notEligible);
        out.put("assumption", compiled.triggers().contains("birthday") || compiled.triggers().contains("holiday")
                ? "customers enter on their birthday / the holidays of their country within the window"
                : "every eligible customer gets the trigger '" + firstTrigger + "' now; no later events (orders...) happen");
        out.put("reachedByStep", sim.reached);
        out.put("outcomes", sim.outcomes);
        out.put("messagesPerDay", sim.perDay);
        out.put("messagesByChannel", sim.byChannel);
        out.put("blockedMessages", sim.blocked);
        out.put("coupons", sim.coupons);
        out.put("samples", sim.samples);
        return out;
    }

    private record Entry(Instant at, String trigger, Map<String, Object> payload) {
    }

    private List<Entry> entries(BpmnCompiler.Compiled compiled, String firstTrigger, Customer c, Instant start, Instant end,
                                HolidayCalendar holidays) {
        List<Entry> out = new ArrayList<>();
        ZoneId zone = CustomerZones.of(c);
        if (compiled.triggers().contains("birthday") && c.getBirthday() != null) {
            MonthDay md = MonthDay.from(c.getBirthday());
            for (LocalDate d = start.atZone(zone).toLocalDate(); d.atStartOfDay(zone).toInstant().isBefore(end); d = d.plusDays(1)) {
                if (MonthDay.from(d).equals(md)) out.add(new Entry(max(start, d.atStartOfDay(zone).toInstant()), "birthday", Map.of()));
            }
        } else if (compiled.triggers().contains("holiday")) {
            for (LocalDate d = start.atZone(zone).toLocalDate(); d.atStartOfDay(zone).toInstant().isBefore(end); d = d.plusDays(1)) {
                for (HolidayCalendar.Holiday h : holidays.on(d)) {
                    if (h.in(c.getCountry())) {
                        out.add(new Entry(max(start, d.atStartOfDay(zone).toInstant()), "holiday",
                                Map.of("holiday", h.occurrence(d), "holidayName", h.name(), "holidayTemplate", h.template())));
                    }
                }
            }
        } else if (!compiled.triggers().contains("birthday")) {
            out.add(new Entry(start, firstTrigger, Map.of()));
        }
        return out;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** The simulation's palette context, step sink and jobs service, on a virtual clock. */
    private final class Sim implements PaletteContext, JourneyEngine.StepSink, JobsService {
        JourneyEngine engine;
        Instant now;
        Instant instanceStart;
        Customer customer;
        PurchaseHistory history;
        List<Map<String, Object>> path;
        final List<Map<String, Object>> samples = new ArrayList<>();
        final Map<String, Long> reached = new TreeMap<>();
        final Map<String, Long> outcomes = new TreeMap<>();
        final Map<String, Map<String, Long>> perDay = new TreeMap<>();
        final Map<String, Long> byChannel = new TreeMap<>();
        final Map<String, Long> blocked = new TreeMap<>();
        final Map<String, Long> coupons = new TreeMap<>();
        final Random random = new Random(42);
        private final PriorityQueue<Object[]> due = new PriorityQueue<>((a, b) -> ((Instant) a[0]).compareTo((Instant) b[0]));
        private String lastEnd;
        private String outcome;
        private CouponIssuer.Coupon lastCoupon;

        void drain(Process<BpmnVariables> process, Instant end) {
            while (!due.isEmpty() && !((Instant) due.peek()[0]).isAfter(end)) {
                Object[] next = due.poll();
                now = (Instant) next[0];
                String instanceId = (String) next[2];
                if ("wait".equals(next[1])) {
                    process.instances().findById(instanceId).ifPresent(pi -> UnitOfWorkExecutor.executeInUnitOfWork(
                            engine.unitOfWork(), () -> {
                                pi.completeWorkItem((String) next[3], Map.of());
                                return null;
                            }));
                } else {
                    ProcessInstanceJobDescription job = (ProcessInstanceJobDescription) next[3];
                    new TriggerJobCommand(instanceId, job.id(), job.timerId(), 0, process, engine.unitOfWork()).execute();
                }
            }
            if (!due.isEmpty()) {
                path.add(Map.of("at", end.toString(), "step", "(still waiting when the simulation ends)"));
                outcomes.merge("still running", 1L, Long::sum);
            }
            due.clear();
        }

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public String customerOf(String instanceId, String variableCustomerId) {
            return variableCustomerId;
        }

        @Override
        public Customer customer(String customerId) {
            return customer;
        }

        @Override
        public Map<String, Object> facts(String customerId, String instanceId) {
            return JourneyFacts.of(customer, history, instanceStart, now);
        }

        @Override
        public JourneyMessenger.SendResult send(StepRef step, JourneyMessenger.MessageRequest request) {
            JourneyMessenger.SendCheck check = messenger.check(request, now);
            if (!check.allowed()) {
                blocked.merge(check.reason(), 1L, Long::sum);
                return JourneyMessenger.SendResult.blocked(check.reason(), check.rule());
            }
            Instant at = check.at() == null ? now : check.at();
            String day = at.atZone(CustomerZones.of(customer)).toLocalDate().toString();
            perDay.computeIfAbsent(day, k -> new TreeMap<>()).merge(request.channel(), 1L, Long::sum);
            byChannel.merge(request.channel(), 1L, Long::sum);
            return JourneyMessenger.SendResult.sent("dry-run");
        }

        @Override
        public String templateLanguage(String template, String channel, String language) {
            return messenger.templateLanguage(template, channel, language);
        }

        @Override
        public CouponIssuer.Coupon coupon(StepRef step, CouponIssuer.CouponRequest request) {
            coupons.merge(request.value(), 1L, Long::sum);
            lastCoupon = new CouponIssuer.Coupon("DRYRUN", request.value(), request.expiresAt());
            return lastCoupon;
        }

        @Override
        public java.util.Optional<CouponIssuer.Coupon> findCoupon(String code) {
            return lastCoupon != null && lastCoupon.code().equals(code) ? java.util.Optional.of(lastCoupon)
                    : java.util.Optional.empty();
        }

        @Override
        public dev.caravan.order.Order findOrder(String orderKey) {
            return null; // simulated triggers carry no real orders
        }

        @Override
        public String baseCurrency() {
            return runtime.baseCurrency();
        }

        @Override
        public void tag(StepRef step, String tag, boolean add) {
        }

        @Override
        public void scheduleWait(StepRef step, Instant fireAt) {
            due.add(new Object[]{fireAt, "wait", step.instanceId(), step.workItemId()});
        }

        @Override
        public void cancelWait(String workItemId) {
            due.removeIf(e -> "wait".equals(e[1]) && workItemId.equals(e[3]));
        }

        @Override
        public void detail(StepRef step, Map<String, Object> detail) {
            if (!path.isEmpty()) {
                Map<String, Object> last = path.get(path.size() - 1);
                Map<String, Object> merged = new LinkedHashMap<>(last);
                merged.putAll(detail);
                path.set(path.size() - 1, merged);
            }
        }

        @Override
        public void goal(StepRef step, String goal) {
            outcome = goal;
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

        @Override
        public void step(String instanceId, StepLog.Step step) {
            reached.merge(step.nodeId(), 1L, Long::sum);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("at", step.at().toString());
            p.put("step", step.nodeId());
            p.put("name", step.name());
            path.add(p);
        }

        @Override
        public void ended(String instanceId, int state, String lastEndName) {
            outcomes.merge(outcome != null ? outcome : lastEndName == null ? "ended" : lastEndName, 1L, Long::sum);
            outcome = null;
        }

        @Override
        public String scheduleJob(JobDescription description) {
            ProcessInstanceJobDescription job = (ProcessInstanceJobDescription) description;
            Instant at = MongoJobsService.fireAt(job.expirationTime(), java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
            due.add(new Object[]{at, "timer", job.processInstanceId(), job});
            return job.id();
        }

        @Override
        public boolean cancelJob(String id) {
            return due.removeIf(e -> "timer".equals(e[1]) && ((ProcessInstanceJobDescription) e[3]).id().equals(id));
        }

        @Override
        public String rescheduleJob(JobDescription description) {
            cancelJob(description.id());
            return scheduleJob(description);
        }
    }
}
