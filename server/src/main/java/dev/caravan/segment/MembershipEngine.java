package dev.caravan.segment;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.caravan.common.store.ByIds;
import dev.caravan.customer.Customer;
import dev.caravan.order.Purchase;
import dev.caravan.order.PurchaseHistories;
import dev.caravan.order.PurchaseHistory;
import org.bson.Document;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.FindAndReplaceOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Brings a batch of customers' behaviour summaries and segment memberships up to date: folds their queued events
 * and new orders into the summaries, evaluates the segments, stores the memberships that changed and publishes
 * {@link SegmentEntered} / {@link SegmentLeft}. All reads are by primary key, in chunks; all writes are bulk
 * replacements of whole per-customer documents, under the {@link MembershipLock}.
 */
@Component
class MembershipEngine {

    /** What one call changed. */
    record Outcome(int customers, int entered, int left) {
    }

    private final MongoTemplate mongo;
    private final PurchaseHistories histories;
    private final MembershipLock lock;
    private final ApplicationEventPublisher events;
    private final SegmentProperties props;
    private final Clock clock;

    MembershipEngine(MongoTemplate mongo, PurchaseHistories histories, MembershipLock lock,
                     ApplicationEventPublisher events, SegmentProperties props, Clock clock) {
        this.mongo = mongo;
        this.histories = histories;
        this.lock = lock;
        this.events = events;
        this.props = props;
        this.clock = clock;
    }

    /** The customer fields {@link SegmentFacts} reads. */
    static final String[] FACT_FIELDS = {"country", "language", "timezone", "consents", "tier", "tags", "lifecycle",
            "level", "metrics", "predictions", "createdAt"};

    /**
     * @param pending  behaviour events to fold, per customer
     * @param segments the segments to evaluate (memberships of others stay as they are)
     * @param live     whether the entries and exits it finds are live (journeys react to those)
     */
    Outcome process(Collection<String> customerIds, Map<String, List<PendingEvent>> pending,
                    List<SegmentCatalog.Compiled> segments, boolean live) {
        if (customerIds.isEmpty()) return new Outcome(0, 0, 0);
        List<Object> published = new ArrayList<>();
        Outcome outcome = lock.call(() -> processLocked(customerIds, pending, segments, live, published));
        published.forEach(events::publishEvent);
        return outcome;
    }

    private Outcome processLocked(Collection<String> ids, Map<String, List<PendingEvent>> pending,
                                  List<SegmentCatalog.Compiled> segments, boolean live, List<Object> published) {
        Instant now = clock.instant();
        Map<String, Customer> customers = new LinkedHashMap<>();
        // only what SegmentFacts reads: no contact data to decrypt, no identities or merge history to map
        ByIds.find(mongo, ids, Customer.class, null, q -> q.fields().include(FACT_FIELDS))
                .forEach(c -> customers.put(c.getId(), c));
        if (customers.isEmpty()) return new Outcome(0, 0, 0);
        Map<String, PurchaseHistory> history = histories.of(customers.keySet());
        Map<String, BehaviourSummary> summaries = new HashMap<>();
        ByIds.find(mongo, customers.keySet(), BehaviourSummary.class).forEach(s -> summaries.put(s.customerId(), s));

        // Orders the summaries have not seen yet: their SKUs and categories.
        Map<String, Set<String>> newOrders = new HashMap<>();
        Set<String> orderKeys = new LinkedHashSet<>();
        for (String id : customers.keySet()) {
            BehaviourSummary s = summaries.getOrDefault(id, BehaviourSummary.empty(id));
            Set<String> folded = new java.util.HashSet<>(s.orders());
            for (Purchase p : history.get(id).counted()) {
                if (!folded.contains(p.orderKey())) {
                    newOrders.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(p.orderKey());
                    orderKeys.add(p.orderKey());
                }
            }
        }
        Map<String, BehaviourFolder.OrderItems> items = orderItems(orderKeys);

        List<BehaviourSummary> changedSummaries = new ArrayList<>();
        for (String id : customers.keySet()) {
            List<PendingEvent> ev = pending.getOrDefault(id, List.of());
            Set<String> keys = newOrders.getOrDefault(id, Set.of());
            if (ev.isEmpty() && keys.isEmpty()) continue;
            List<BehaviourFolder.OrderItems> orders = keys.stream().map(items::get).filter(java.util.Objects::nonNull).toList();
            BehaviourSummary folded = BehaviourFolder.fold(summaries.getOrDefault(id, BehaviourSummary.empty(id)), ev,
                    orders, props, now);
            summaries.put(id, folded);
            changedSummaries.add(folded);
        }
        replaceAll(changedSummaries, BehaviourSummary.class, BehaviourSummary::customerId);

        Map<String, SegmentMembership> memberships = new HashMap<>();
        ByIds.find(mongo, customers.keySet(), SegmentMembership.class).forEach(m -> memberships.put(m.customerId(), m));
        Set<String> inScope = new java.util.HashSet<>();
        segments.forEach(s -> inScope.add(s.id()));
        Set<String> existing = existingSegmentIds(segments);
        List<SegmentMembership> changed = new ArrayList<>();
        List<String> emptied = new ArrayList<>();
        int entered = 0;
        int left = 0;
        for (Customer c : customers.values()) {
            SegmentFacts facts = new SegmentFacts(c, history.get(c.getId()), summaries.get(c.getId()), now, props);
            SegmentMembership before = memberships.getOrDefault(c.getId(), new SegmentMembership(c.getId(), List.of()));
            Map<String, SegmentMembership.Member> after = new LinkedHashMap<>();
            for (SegmentMembership.Member m : before.segments()) {
                if (!inScope.contains(m.id()) && existing.contains(m.id())) after.put(m.id(), m);
            }
            for (SegmentCatalog.Compiled s : segments) {
                boolean wasIn = before.segments().stream().anyMatch(m -> m.id().equals(s.id()));
                boolean isIn = s.condition().test(facts);
                if (isIn) {
                    SegmentMembership.Member m = before.segments().stream().filter(x -> x.id().equals(s.id())).findFirst()
                            .orElse(new SegmentMembership.Member(s.id(), now));
                    after.put(s.id(), m);
                }
                if (isIn && !wasIn) {
                    entered++;
                    published.add(new SegmentEntered(c.getId(), s.id(), now, live));
                } else if (!isIn && wasIn) {
                    left++;
                    published.add(new SegmentLeft(c.getId(), s.id(), now, live));
                }
            }
            List<SegmentMembership.Member> list = List.copyOf(after.values());
            if (!list.equals(before.segments())) {
                if (list.isEmpty()) emptied.add(c.getId());
                else changed.add(new SegmentMembership(c.getId(), list));
            }
        }
        replaceAll(changed, SegmentMembership.class, SegmentMembership::customerId);
        if (!emptied.isEmpty()) {
            for (int i = 0; i < emptied.size(); i += 64) {
                mongo.remove(Query.query(Criteria.where("_id").in(emptied.subList(i, Math.min(emptied.size(), i + 64)))),
                        SegmentMembership.class);
            }
        }
        return new Outcome(customers.size(), entered, left);
    }

    /** Ids of segments that still exist, so memberships of deleted segments are dropped as customers come by. */
    private Set<String> existingSegmentIds(List<SegmentCatalog.Compiled> inScope) {
        Set<String> ids = new java.util.HashSet<>();
        Query q = new Query();
        q.fields().include("_id");
        mongo.find(q, Document.class, "segments").forEach(d -> ids.add(String.valueOf(d.get("_id"))));
        inScope.forEach(s -> ids.add(s.id()));
        return ids;
    }

    private Map<String, BehaviourFolder.OrderItems> orderItems(Collection<String> keys) {
        Map<String, BehaviourFolder.OrderItems> out = new HashMap<>();
        if (keys.isEmpty()) return out;
        for (Document o : ByIds.find(mongo, keys, Document.class, "orders",
                q -> q.fields().include("placedAt", "lines.sku", "lines.category"))) {
            Set<String> skus = new LinkedHashSet<>();
            Set<String> categories = new LinkedHashSet<>();
            for (Document l : o.getList("lines", Document.class, List.of())) {
                String sku = l.getString("sku");
                String cat = l.getString("category");
                if (sku != null && !sku.isBlank()) skus.add(sku.trim());
                if (cat != null && !cat.isBlank()) categories.add(cat.trim());
            }
            java.util.Date at = o.getDate("placedAt");
            String key = String.valueOf(o.get("_id"));
            out.put(key, new BehaviourFolder.OrderItems(key, at == null ? null : at.toInstant(), skus, categories));
        }
        return out;
    }

    private <T> void replaceAll(List<T> docs, Class<T> type, java.util.function.Function<T, String> id) {
        if (docs.isEmpty()) return;
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, type);
        docs.forEach(d -> bulk.replaceOne(Query.query(Criteria.where("_id").is(id.apply(d))), d,
                FindAndReplaceOptions.options().upsert()));
        bulk.execute();
    }
}
