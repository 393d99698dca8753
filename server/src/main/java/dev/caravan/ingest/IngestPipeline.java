package dev.caravan.ingest;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.caravan.activity.ActivitiesRecorded;
import dev.caravan.activity.ActivityRecorded;
import dev.caravan.activity.ActivityWriter;
import dev.caravan.activity.BehaviourEvent;
import dev.caravan.activity.Interaction;
import dev.caravan.customer.CustomerIngestor;
import dev.caravan.customer.CustomerWriteLock;
import dev.caravan.customer.ErasedIdentities;
import dev.caravan.customer.CustomersChanged;
import dev.caravan.customer.ProfileInput;
import dev.caravan.order.OrderEvent;
import dev.caravan.order.OrderInput;
import dev.caravan.order.OrderWriter;
import dev.caravan.order.OrdersRecorded;
import dev.caravan.order.ReturnInput;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/**
 * Stores a batch of validated records: drops replayed event ids, resolves every record to a customer, then
 * writes orders, returns, interactions and behaviour events in bulk, and finally publishes the domain events.
 * Every write is idempotent, so a batch interrupted by a crash can simply be sent again.
 */
@Service
public class IngestPipeline {

    public enum Status { ACCEPTED, DUPLICATE, REJECTED }

    public record ItemOutcome(Status status, String customerId, String error) {
    }

    public record Outcome(List<ItemOutcome> items, Set<String> changedCustomers, int ordersWritten, int returnsWritten) {
    }

    private final CustomerWriteLock lock;
    private final CustomerIngestor customers;
    private final OrderWriter orders;
    private final ActivityWriter activity;
    private final MongoTemplate mongo;
    private final ApplicationEventPublisher publisher;
    private final Clock clock;
    private final ObjectProvider<ErasedIdentities> tombstones;

    IngestPipeline(CustomerWriteLock lock, CustomerIngestor customers, OrderWriter orders, ActivityWriter activity, MongoTemplate mongo, ApplicationEventPublisher publisher,
                   Clock clock, ObjectProvider<ErasedIdentities> tombstones) {
        this.tombstones = tombstones;
        this.lock = lock;
        this.customers = customers;
        this.orders = orders;
        this.activity = activity;
        this.mongo = mongo;
        this.publisher = publisher;
        this.clock = clock;
    }

    public Outcome write(List<IngestRecord> records, boolean live, String actor, String cause) {
        return write(records, live, false, actor, cause);
    }

    /**
     * Bulk history (imports, backfills): not live, and customer metrics and purchase histories are left for
     * {@link #completeBulk} to rebuild once for every customer the bulk work touched, which is much cheaper than
     * keeping them current batch by batch.
     */
    public Outcome writeBulk(List<IngestRecord> records, String actor, String cause) {
        return write(records, false, true, actor, cause);
    }

    /**
     * Brings metrics and purchase histories of customers written by {@link #writeBulk} up to date, then tells
     * listeners (not live): their metrics only now reflect the bulk work.
     */
    public void completeBulk(Set<String> customerIds) {
        lock.run(() -> orders.rebuildAggregates(customerIds));
        if (!customerIds.isEmpty()) publisher.publishEvent(new CustomersChanged(Set.copyOf(customerIds), "bulk completed", false));
    }

    private Outcome write(List<IngestRecord> records, boolean live, boolean bulk, String actor, String cause) {
        List<Object> events = new ArrayList<>();
        Outcome outcome = lock.call(() -> store(records, live, bulk, actor, events));
        // Facts first, then the batch summaries (orders, activities), then "these customers changed" last: a
        // consumer that re-evaluates customers on CustomersChanged sees everything the batch did. Activities, one
        // per event, reach listeners only inside ActivitiesRecorded (publishing each cost a fifth of a request).
        events.stream().filter(e -> !(e instanceof ActivityRecorded)).forEach(publisher::publishEvent);
        List<OrderEvent> orderEvents = events.stream().filter(OrderEvent.class::isInstance)
                .map(OrderEvent.class::cast).toList();
        if (!orderEvents.isEmpty()) {
            publisher.publishEvent(new OrdersRecorded(orderEvents, live));
        }
        List<ActivityRecorded> activities = events.stream().filter(ActivityRecorded.class::isInstance)
                .map(ActivityRecorded.class::cast).toList();
        if (!activities.isEmpty()) {
            publisher.publishEvent(new ActivitiesRecorded(activities, live));
        }
        // Bulk work announces its customers once, from completeBulk, when their metrics are rebuilt: re-evaluating
        // them batch by batch would only classify stale metrics, many times over.
        if (!bulk && !outcome.changedCustomers().isEmpty()) {
            publisher.publishEvent(new CustomersChanged(outcome.changedCustomers(), cause, live));
        }
        return outcome;
    }

    private Outcome store(List<IngestRecord> records, boolean live, boolean bulk, String actor, List<Object> events) {
        List<Object> activityEvents = new ArrayList<>();
        ItemOutcome[] outcomes = new ItemOutcome[records.size()];
        markDuplicates(records, outcomes);
        refuseErased(records, outcomes);

        // Resolve who each remaining record is about.
        List<ProfileInput> profiles = new ArrayList<>();
        List<Integer> profileOf = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (outcomes[i] == null && records.get(i).profile() != null) {
                profiles.add(records.get(i).profile());
                profileOf.add(i);
            }
        }
        CustomerIngestor.Result resolved = customers.ingest(profiles, actor);
        String[] customerOf = new String[records.size()];
        String[] identityOf = new String[records.size()];
        for (int k = 0; k < profiles.size(); k++) {
            int i = profileOf.get(k);
            String error = resolved.errors().get(k);
            if (error != null) {
                outcomes[i] = new ItemOutcome(Status.REJECTED, null, error);
            } else {
                customerOf[i] = resolved.customerIds().get(k);
                List<String> keys = customers.keysOf(profiles.get(k));
                identityOf[i] = keys.isEmpty() ? null : keys.get(0);
            }
        }

        List<OrderInput> orderInputs = new ArrayList<>();
        List<ReturnInput> returnInputs = new ArrayList<>();
        List<Interaction> interactions = new ArrayList<>();
        List<BehaviourEvent> behaviour = new ArrayList<>();
        Map<String, String> complaintsResolved = new java.util.HashMap<>();
        Instant now = clock.instant();
        for (int i = 0; i < records.size(); i++) {
            if (outcomes[i] != null) continue;
            IngestRecord r = records.get(i);
            String cid = customerOf[i];
            if (r.order() != null) orderInputs.add(r.order().forCustomer(cid, identityOf[i]));
            if (r.ret() != null) returnInputs.add(r.ret().forCustomer(cid, identityOf[i]));
            if (r.interaction() != null) {
                Interaction x = r.interaction();
                interactions.add(new Interaction(x.id(), cid, identityOf[i], x.kind(), x.platform(), x.orderId(),
                        x.sku(), x.text(), x.rating(), x.resolved(), x.occurredAt(), x.source()));
            }
            if (r.resolvesComplaint() != null && cid != null) complaintsResolved.put(r.resolvesComplaint(), cid);
            if (r.eventId() != null) {
                behaviour.add(new BehaviourEvent(r.eventId(), r.type(), r.occurredAt(), now, cid, identityOf[i],
                        "api", r.properties()));
                activityEvents.add(new ActivityRecorded(r.eventId(), cid, r.type(), r.occurredAt(), r.properties(), live));
            }
            outcomes[i] = new ItemOutcome(Status.ACCEPTED, cid, null);
        }

        OrderWriter.Result orderResult = orders.writeOrders(orderInputs, live, bulk);
        OrderWriter.Result returnResult = orders.writeReturns(returnInputs, live, bulk);
        activity.insertInteractions(interactions);
        complaintsResolved.forEach((complaintId, cid) -> mongo.updateFirst(
                Query.query(Criteria.where("_id").is(complaintId).and("customerId").is(cid)),
                Update.update("resolved", true), Interaction.class));
        // Behaviour events last: their ids mark the records as done, so a crash before this point means a replay
        // is processed again (idempotently) rather than dropped as a duplicate.
        activity.insertEvents(behaviour);

        events.addAll(resolved.consentChanges());
        events.addAll(orderResult.events());
        events.addAll(returnResult.events());
        events.addAll(activityEvents);
        Set<String> changed = new LinkedHashSet<>(resolved.changed());
        changed.addAll(orderResult.changedCustomers());
        changed.addAll(returnResult.changedCustomers());
        for (int i = 0; i < records.size(); i++) {
            if (outcomes[i].status() == Status.ACCEPTED && customerOf[i] != null && records.get(i).eventId() != null) {
                changed.add(customerOf[i]); // behaviour alone changes what the rules see
            }
        }
        changed.remove(null);
        return new Outcome(List.of(outcomes), changed, orderResult.written(), returnResult.written());
    }

    /**
     * Records about an erased person are rejected (a later marketplace sync, import or event must not re-create
     * them), unless the person came back: the record carries a new order, placed after the erasure, and grants a
     * consent. Then the tombstones of its keys are released and it creates a new customer.
     */
    private void refuseErased(List<IngestRecord> records, ItemOutcome[] outcomes) {
        ErasedIdentities gate = tombstones.getIfAvailable();
        if (gate == null) return;
        Map<Integer, List<String>> keysOf = new java.util.HashMap<>();
        Set<String> all = new HashSet<>();
        for (int i = 0; i < records.size(); i++) {
            ProfileInput p = records.get(i).profile();
            if (outcomes[i] != null || p == null) continue;
            List<String> keys = customers.keysOf(p);
            if (keys.isEmpty()) continue;
            keysOf.put(i, keys);
            all.addAll(keys);
        }
        if (all.isEmpty()) return;
        Map<String, Instant> erased = gate.erased(all);
        if (erased.isEmpty()) return;
        Set<String> release = new LinkedHashSet<>();
        keysOf.forEach((i, keys) -> {
            Instant at = keys.stream().map(erased::get).filter(java.util.Objects::nonNull)
                    .max(Instant::compareTo).orElse(null);
            if (at == null) return;
            IngestRecord r = records.get(i);
            boolean returning = r.order() != null && r.order().placedAt() != null && r.order().placedAt().isAfter(at)
                    && r.profile().consents().containsValue(Boolean.TRUE);
            if (returning) {
                keys.stream().filter(erased::containsKey).forEach(release::add);
            } else {
                outcomes[i] = new ItemOutcome(Status.REJECTED, null, "this person's data was erased on " + at
                        + "; they return only as a new customer, with an order placed after that and a consent");
            }
        });
        if (!release.isEmpty()) gate.release(release, "returned with a new order and consent");
    }

    private void markDuplicates(List<IngestRecord> records, ItemOutcome[] outcomes) {
        Set<String> ids = new HashSet<>();
        records.forEach(r -> { if (r.eventId() != null) ids.add(r.eventId()); });
        Set<String> stored = activity.existingEventIds(ids);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < records.size(); i++) {
            String id = records.get(i).eventId();
            if (id != null && (stored.contains(id) || !seen.add(id))) {
                outcomes[i] = new ItemOutcome(Status.DUPLICATE, null, null);
            }
        }
    }
}
