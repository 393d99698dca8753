package dev.caravan.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

import dev.caravan.activity.ActivityRecorded;
import dev.caravan.activity.Interaction;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Keeps {@link ActivitySignals} current from activity events with single-document atomic updates ($addToSet, $pull,
 * $max), so replays are harmless. Merges fold the absorbed customer's counters into the survivor; an unmerge
 * rebuilds both from the interactions (a full scan, acceptable for that rare manual action).
 */
@Component
class ActivitySignalsWriter {

    static final int LOW_RATING = 2;

    private final MongoTemplate mongo;
    /** Customers whose counters were written since start: full runs that listed the counters earlier see them too. */
    private final java.util.Set<String> touched = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ActivitySignalsWriter(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    boolean touched(String customerId) {
        return touched.contains(customerId);
    }

    /**
     * Records a batch of activities: one upsert per customer ($max of the last activity, $addToSet of complaints
     * and low reviews), then the pulls of resolved complaints, in that order, so a complaint and its resolution in
     * one batch leave nothing open.
     */
    void recordAll(List<ActivityRecorded> events) {
        java.util.Map<String, Pending> perCustomer = new java.util.LinkedHashMap<>();
        List<ActivityRecorded> resolutions = new ArrayList<>();
        for (ActivityRecorded e : events) {
            if (e.customerId() == null) continue;
            touched.add(e.customerId());
            Pending p = perCustomer.computeIfAbsent(e.customerId(), id -> new Pending());
            if (e.occurredAt() != null && (p.last == null || e.occurredAt().isAfter(p.last))) p.last = e.occurredAt();
            switch (e.type()) {
                case Interaction.COMPLAINT -> {
                    p.complaints.add(e.eventId());
                    p.open.add(new ActivitySignals.OpenComplaint(e.eventId(), e.occurredAt()));
                }
                case Interaction.REVIEW -> {
                    Object rating = e.properties() == null ? null : e.properties().get("rating");
                    if (rating instanceof Number n && n.intValue() <= LOW_RATING) p.lowReviews.add(e.eventId());
                }
                case "complaint_resolved" -> resolutions.add(e);
                default -> {
                }
            }
        }
        if (perCustomer.isEmpty()) return;
        org.springframework.data.mongodb.core.BulkOperations bulk =
                mongo.bulkOps(org.springframework.data.mongodb.core.BulkOperations.BulkMode.ORDERED, ActivitySignals.class);
        perCustomer.forEach((id, p) -> {
            Update u = new Update();
            if (p.last != null) u.max("lastActivityAt", p.last);
            if (!p.complaints.isEmpty()) u.addToSet("complaintIds").each(p.complaints.toArray());
            if (!p.open.isEmpty()) u.addToSet("openComplaints").each(p.open.toArray());
            if (!p.lowReviews.isEmpty()) u.addToSet("lowReviewIds").each(p.lowReviews.toArray());
            if (!u.getUpdateObject().isEmpty()) bulk.upsert(Query.query(Criteria.where("_id").is(id)), u);
        });
        for (ActivityRecorded e : resolutions) {
            Object complaint = e.properties() == null ? null : e.properties().get("complaintEventId");
            if (complaint != null) {
                bulk.updateOne(Query.query(Criteria.where("_id").is(e.customerId())),
                        new Update().pull("openComplaints", Query.query(Criteria.where("id").is(complaint.toString()))
                                .getQueryObject()));
            }
        }
        bulk.execute();
    }

    /** What one batch adds to one customer's counters. */
    private static final class Pending {
        Instant last;
        final List<String> complaints = new ArrayList<>();
        final List<ActivitySignals.OpenComplaint> open = new ArrayList<>();
        final List<String> lowReviews = new ArrayList<>();
    }

    void merge(String absorbedId, String survivorId) {
        touched.add(survivorId);
        ActivitySignals absorbed = mongo.findById(absorbedId, ActivitySignals.class);
        if (absorbed == null) return;
        Update u = new Update();
        if (!absorbed.complaintIds().isEmpty()) u.addToSet("complaintIds").each(absorbed.complaintIds().toArray());
        if (!absorbed.openComplaints().isEmpty()) u.addToSet("openComplaints").each(absorbed.openComplaints().toArray());
        if (!absorbed.lowReviewIds().isEmpty()) u.addToSet("lowReviewIds").each(absorbed.lowReviewIds().toArray());
        if (absorbed.lastActivityAt() != null) u.max("lastActivityAt", absorbed.lastActivityAt());
        if (!u.getUpdateObject().isEmpty()) {
            mongo.upsert(Query.query(Criteria.where("_id").is(survivorId)), u, ActivitySignals.class);
        }
        mongo.remove(Query.query(Criteria.where("_id").is(absorbedId)), ActivitySignals.class);
    }

    /** Recomputes the counters of these customers from the interactions; keeps the stored last-activity time. */
    void rebuild(Collection<String> customerIds) {
        touched.addAll(customerIds);
        for (String id : customerIds) {
            List<Interaction> items = mongo.find(Query.query(Criteria.where("customerId").is(id)), Interaction.class);
            List<String> complaints = new ArrayList<>();
            List<ActivitySignals.OpenComplaint> open = new ArrayList<>();
            List<String> low = new ArrayList<>();
            Instant last = null;
            for (Interaction i : items) {
                if (Interaction.COMPLAINT.equals(i.kind())) {
                    complaints.add(i.id());
                    if (!i.resolved()) open.add(new ActivitySignals.OpenComplaint(i.id(), i.occurredAt()));
                }
                if (Interaction.REVIEW.equals(i.kind()) && i.rating() != null && i.rating() <= LOW_RATING) low.add(i.id());
                if (i.occurredAt() != null && (last == null || i.occurredAt().isAfter(last))) last = i.occurredAt();
            }
            ActivitySignals before = mongo.findById(id, ActivitySignals.class);
            Instant lastActivity = before == null ? last
                    : before.lastActivityAt() == null || (last != null && last.isAfter(before.lastActivityAt())) ? last
                    : before.lastActivityAt();
            mongo.save(new ActivitySignals(id, List.copyOf(new LinkedHashSet<>(complaints)), open,
                    List.copyOf(new LinkedHashSet<>(low)), lastActivity));
        }
    }

}
