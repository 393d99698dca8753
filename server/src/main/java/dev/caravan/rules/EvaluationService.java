package dev.caravan.rules;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import dev.caravan.customer.Customer;
import dev.caravan.order.PurchaseHistories;
import dev.caravan.order.PurchaseHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/**
 * Evaluates batches of customers: reads profiles, purchase histories, interaction counters and stored rule states
 * by primary key, runs the rules, and (unless dry) writes only what changed: the classification fields of the
 * profile with a targeted {@code $set} (never the whole document, because ingestion increments metrics
 * concurrently) and the rule state with provenance and history. Domain events go out after the writes.
 */
@Service
class EvaluationService {

    private static final Logger log = LoggerFactory.getLogger(EvaluationService.class);
    static final String[] CUSTOMER_FIELDS = {"tier", "tags", "lifecycle", "level", "country", "createdAt", "metrics",
            "predictions"};

    private final MongoTemplate mongo;
    private final PurchaseHistories histories;
    private final ApplicationEventPublisher events;
    private final ActivitySignalsWriter signalWriter;
    private final RulesProperties props;
    private final Clock clock;
    /** Serialises the read-evaluate-write of a batch between the incremental worker and full runs on this server. */
    private final ReentrantLock writeLock = new ReentrantLock();

    EvaluationService(MongoTemplate mongo, PurchaseHistories histories, ApplicationEventPublisher events,
                      ActivitySignalsWriter signalWriter, RulesProperties props, Clock clock) {
        this.mongo = mongo;
        this.histories = histories;
        this.events = events;
        this.signalWriter = signalWriter;
        this.props = props;
        this.clock = clock;
    }

    /** Reads these customers (missing ones are skipped) and evaluates them. */
    void evaluateIds(Collection<String> ids, RuleSet rules, Population population, boolean write, boolean live,
                     EvaluationStats stats) {
        if (ids.isEmpty()) return;
        writeLock.lock();
        try {
            Query q = Query.query(Criteria.where("_id").in(ids));
            q.fields().include(CUSTOMER_FIELDS);
            evaluateLoaded(mongo.find(q, Customer.class), rules, population, write, live, stats);
        } finally {
            writeLock.unlock();
        }
    }

    /** Evaluates customers already read (full runs stream them). */
    void evaluate(List<Customer> customers, RuleSet rules, Population population, boolean write, boolean live,
                  EvaluationStats stats) {
        writeLock.lock();
        try {
            evaluateLoaded(customers, rules, population, write, live, stats);
        } finally {
            writeLock.unlock();
        }
    }

    /** Builds the fact of one customer as the rules would see it now (for explanations). */
    CustomerFact fact(Customer c, Population population) {
        PurchaseHistory h = histories.of(c.getId());
        ActivitySignals s = mongo.findById(c.getId(), ActivitySignals.class);
        return FactBuilder.build(c, h, s, population, clock.instant());
    }

    /** The ids of every customer with interaction counters, read once per full run (most customers have none). */
    java.util.Set<String> signalIds() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        mongo.getCollection(mongo.getCollectionName(ActivitySignals.class)).find().projection(new org.bson.Document("_id", 1))
                .forEach(d -> ids.add(String.valueOf(d.get("_id"))));
        return ids;
    }

    void evaluate(List<Customer> customers, RuleSet rules, Population population, boolean write, boolean live,
                  EvaluationStats stats, java.util.Set<String> signalIds) {
        writeLock.lock();
        try {
            evaluateLoaded(customers, rules, population, write, live, stats, signalIds);
        } finally {
            writeLock.unlock();
        }
    }

    private void evaluateLoaded(List<Customer> customers, RuleSet rules, Population population, boolean write,
                                boolean live, EvaluationStats stats) {
        evaluateLoaded(customers, rules, population, write, live, stats, null);
    }

    /** {@code signalIds}: customers known to have interaction counters (null = look every customer up). */
    private void evaluateLoaded(List<Customer> customers, RuleSet rules, Population population, boolean write,
                                boolean live, EvaluationStats stats, java.util.Set<String> signalIds) {
        if (customers.isEmpty()) return;
        Instant now = clock.instant();
        List<String> ids = customers.stream().map(Customer::getId).toList();
        Map<String, PurchaseHistory> hist = new HashMap<>();
        for (List<String> chunk : chunks(ids)) hist.putAll(histories.of(chunk));
        List<String> withSignals = signalIds == null ? ids
                : ids.stream().filter(id -> signalIds.contains(id) || signalWriter.touched(id)).toList();
        Map<String, ActivitySignals> signals = byId(withSignals, ActivitySignals.class, ActivitySignals::customerId);
        Map<String, RuleState> states = byId(ids, RuleState.class, RuleState::customerId, "history");

        List<CustomerFact> facts = new ArrayList<>(customers.size());
        for (Customer c : customers) {
            facts.add(FactBuilder.build(c, hist.get(c.getId()), signals.get(c.getId()), population, now));
        }
        RuleEngine.BatchResult result = RuleEngine.evaluate(rules.kieBase(), rules.params(), population, facts,
                props.maxFiringsPerCustomer());
        for (RuleEngine.Loop loop : result.loops()) {
            stats.loop(loop);
            log.warn("Rules {} for customer {} (version {}): {}", loop.error() ? "failed" : "loop", loop.customerId(),
                    rules.version(), loop.detail());
        }
        // Customers with the same outcome get one update for all of them: a first run over a million customers
        // writes a few hundred distinct updates instead of a million single ones.
        Map<org.bson.Document, List<String>> profileGroups = new LinkedHashMap<>();
        Map<org.bson.Document, List<String>> stateGroups = new LinkedHashMap<>();
        Map<String, Update> newStates = new LinkedHashMap<>();
        List<RuleState> newDocs = new ArrayList<>();
        List<Object> out = new ArrayList<>();
        for (CustomerFact f : result.evaluated()) {
            if (!f.problems().isEmpty()) {
                log.warn("Rules set invalid values for customer {}: {}", f.getId(), f.problems());
            }
            RuleState state = states.get(f.getId());
            Instant lapsedAt = LevelGrace.apply(f, state, rules.params(), now);
            Changes changes = Changes.of(f, current(f, state));
            stats.add(changes);
            if (!write) continue;
            if (changes.profileChanged()) {
                Update u = new Update().set("tier", changes.tierValue()).set("lifecycle", changes.lifecycleValue())
                        .set("level", changes.levelValue())
                        .set("tags", List.copyOf(new java.util.TreeSet<>(changes.tagValues())));
                profileGroups.computeIfAbsent(u.getUpdateObject(), k -> new ArrayList<>()).add(f.getId());
            }
            Update stateUpdate = stateUpdate(changes, state, lapsedAt, rules.version(), now);
            if (stateUpdate != null) {
                if (state == null) {
                    newStates.put(f.getId(), stateUpdate);
                    newDocs.add(newState(changes, lapsedAt, rules.version(), now));
                }
                else stateGroups.computeIfAbsent(stateUpdate.getUpdateObject(), k -> new ArrayList<>()).add(f.getId());
            }
            out.addAll(changes.events(rules.version(), now, live));
        }
        if (write) {
            writeGrouped(Customer.class, profileGroups, java.util.Set.of());
            insertNew(newDocs, newStates, stateGroups);
            writeGrouped(RuleState.class, stateGroups, newStates.keySet());
        }
        out.forEach(events::publishEvent);
        List<RuleEvent> batch = out.stream().filter(RuleEvent.class::isInstance).map(RuleEvent.class::cast).toList();
        if (!batch.isEmpty()) events.publishEvent(new ClassificationsChanged(batch, live));
    }

    /**
     * One bulk request: an update per group of identical changes. Rule states that do not exist yet are created
     * by upserting them one by one (an upsert cannot target many ids); existing ones share updates.
     */
    private void writeGrouped(Class<?> type, Map<org.bson.Document, List<String>> groups, java.util.Set<String> create) {
        if (groups.isEmpty()) return;
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, type);
        for (Map.Entry<org.bson.Document, List<String>> g : groups.entrySet()) {
            org.springframework.data.mongodb.core.query.UpdateDefinition u = Update.fromDocument(g.getKey());
            List<String> ids = g.getValue();
            if (!create.isEmpty()) {
                ids.stream().filter(create::contains)
                        .forEach(id -> bulk.upsert(Query.query(Criteria.where("_id").is(id)), u));
                ids = ids.stream().filter(id -> !create.contains(id)).toList();
            }
            for (List<String> chunk : chunks(ids)) {
                if (chunk.size() == 1) {
                    bulk.updateOne(Query.query(Criteria.where("_id").is(chunk.get(0))), u);
                } else {
                    bulk.updateMulti(Query.query(Criteria.where("_id").in(chunk)), u);
                }
            }
        }
        bulk.execute();
    }

    /**
     * Inserts the rule states of customers evaluated for the first time (much faster than upserts). Ids that another
     * writer created meanwhile are left in {@code newStates} and upserted by the grouped write; the others removed.
     */
    private void insertNew(List<RuleState> docs, Map<String, Update> newStates,
                           Map<org.bson.Document, List<String>> groups) {
        if (docs.isEmpty()) return;
        java.util.Set<String> failed = new java.util.HashSet<>();
        try {
            BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, RuleState.class);
            bulk.insert(docs);
            bulk.execute();
        } catch (org.springframework.data.mongodb.BulkOperationException e) {
            e.getErrors().forEach(err -> failed.add(docs.get(err.getIndex()).customerId()));
        } catch (org.springframework.dao.DuplicateKeyException e) {
            docs.forEach(d -> failed.add(d.customerId())); // unknown which: upsert all, idempotent
        }
        newStates.forEach((id, u) -> {
            if (failed.contains(id)) {
                groups.computeIfAbsent(u.getUpdateObject(), k -> new ArrayList<>()).add(id);
            }
        });
        newStates.keySet().retainAll(failed);
    }

    private RuleState newState(Changes c, Instant levelLapsedAt, long version, Instant now) {
        List<RuleState.HistoryEntry> history = new ArrayList<>();
        if (c.tierChanged()) history.add(entry("tier", c.before().tier(), c.tierValue(), c.tier(), version, now));
        if (c.lifecycleChanged()) {
            history.add(entry("lifecycle", c.before().lifecycle(), c.lifecycleValue(), c.lifecycle(), version, now));
        }
        if (c.levelChanged()) history.add(entry("level", c.before().level(), c.levelValue(), c.level(), version, now));
        for (String t : c.tagsAdded()) history.add(entry("tag", null, t, c.tags().get(t), version, now));
        for (String t : c.tagsRemoved()) {
            history.add(entry("tag", t, null, c.before().tagProvenance().get(t), version, now));
        }
        for (String r : c.newChurnRisks()) history.add(entry("churn-risk", null, r, c.churnRisks().get(r), version, now));
        return new RuleState(c.customerId(), held(c.tier(), null, now), held(c.lifecycle(), null, now),
                held(c.level(), null, now), heldList(c.tags(), List.of(), now), heldList(c.churnRisks(), List.of(), now),
                version, now, history, levelLapsedAt);
    }

    private static Changes.Current current(CustomerFact f, RuleState state) {
        Map<String, Decision> provenance = new HashMap<>();
        Set<String> risks = new LinkedHashSet<>();
        if (state != null) {
            state.tags().forEach(h -> provenance.put(h.value(), h.decision()));
            state.churnRisks().forEach(h -> risks.add(h.value()));
        }
        return new Changes.Current(f.getTier(), f.getLifecycle(), f.getLevel(), new LinkedHashSet<>(f.getTags()),
                provenance, risks);
    }

    /** The rule-state update, or null when values, provenance and risks are all as stored. */
    private Update stateUpdate(Changes c, RuleState state, Instant levelLapsedAt, long version, Instant now) {
        RuleState.Held tier = held(c.tier(), state == null ? null : state.tier(), now);
        RuleState.Held lifecycle = held(c.lifecycle(), state == null ? null : state.lifecycle(), now);
        RuleState.Held level = held(c.level(), state == null ? null : state.level(), now);
        List<RuleState.Held> tags = heldList(c.tags(), state == null ? List.of() : state.tags(), now);
        List<RuleState.Held> risks = heldList(c.churnRisks(), state == null ? List.of() : state.churnRisks(), now);
        boolean same = state != null && Objects.equals(tier, state.tier()) && Objects.equals(lifecycle, state.lifecycle())
                && Objects.equals(level, state.level()) && tags.equals(state.tags()) && risks.equals(state.churnRisks())
                && Objects.equals(levelLapsedAt, state.levelLapsedAt());
        if (same && !c.profileChanged()) return null;
        Update u = new Update().set("tier", tier).set("lifecycle", lifecycle).set("level", level).set("tags", tags)
                .set("churnRisks", risks).set("version", version).set("updatedAt", now)
                .set("levelLapsedAt", levelLapsedAt);
        List<RuleState.HistoryEntry> history = new ArrayList<>();
        if (c.tierChanged()) history.add(entry("tier", c.before().tier(), c.tierValue(), c.tier(), version, now));
        if (c.lifecycleChanged()) {
            history.add(entry("lifecycle", c.before().lifecycle(), c.lifecycleValue(), c.lifecycle(), version, now));
        }
        if (c.levelChanged()) history.add(entry("level", c.before().level(), c.levelValue(), c.level(), version, now));
        for (String t : c.tagsAdded()) history.add(entry("tag", null, t, c.tags().get(t), version, now));
        for (String t : c.tagsRemoved()) {
            history.add(entry("tag", t, null, c.before().tagProvenance().get(t), version, now));
        }
        for (String r : c.newChurnRisks()) history.add(entry("churn-risk", null, r, c.churnRisks().get(r), version, now));
        if (!history.isEmpty()) {
            u.push("history").slice(-props.historyLimit()).each(history.toArray());
        }
        return u;
    }

    private static RuleState.HistoryEntry entry(String field, String from, String to, Decision d, long version,
                                                Instant now) {
        return new RuleState.HistoryEntry(field, from, to, d == null ? null : d.file(), d == null ? null : d.rule(),
                version, now);
    }

    private static RuleState.Held held(Decision d, RuleState.Held before, Instant now) {
        if (d == null) return null;
        Instant since = before != null && Objects.equals(before.value(), d.value()) ? before.since() : now;
        return new RuleState.Held(d.value(), d.file(), d.rule(), since);
    }

    private static List<RuleState.Held> heldList(Map<String, Decision> decisions, List<RuleState.Held> before,
                                                 Instant now) {
        Map<String, RuleState.Held> old = new LinkedHashMap<>();
        before.forEach(h -> old.put(h.value(), h));
        List<RuleState.Held> out = new ArrayList<>();
        decisions.values().forEach(d -> out.add(held(d, old.get(d.value()), now)));
        out.sort(java.util.Comparator.comparing(RuleState.Held::value));
        return out;
    }

    private <T> Map<String, T> byId(List<String> ids, Class<T> type, java.util.function.Function<T, String> id,
                                    String... exclude) {
        Map<String, T> out = new HashMap<>();
        for (List<String> chunk : chunks(ids)) {
            Query q = Query.query(Criteria.where("_id").in(chunk));
            for (String field : exclude) q.fields().exclude(field);
            mongo.find(q, type).forEach(t -> out.put(id.apply(t), t));
        }
        return out;
    }

    /**
     * Primary-key reads in chunks: the embedded store looks {@code _id $in} up in its index but then re-checks every
     * found document against the whole list, which is quadratic in the list's length.
     */
    private List<List<String>> chunks(List<String> ids) {
        int size = Math.max(1, props.readChunk());
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += size) out.add(ids.subList(i, Math.min(ids.size(), i + size)));
        return out;
    }
}
