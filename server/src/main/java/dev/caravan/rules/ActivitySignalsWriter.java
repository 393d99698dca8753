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

    void record(ActivityRecorded e) {
        touched.add(e.customerId());
        Update u = new Update();
        if (e.occurredAt() != null) u.max("lastActivityAt", e.occurredAt());
        switch (e.type()) {
            case Interaction.COMPLAINT -> {
                u.addToSet("complaintIds", e.eventId());
                u.addToSet("openComplaints", new ActivitySignals.OpenComplaint(e.eventId(), e.occurredAt()));
            }
            case Interaction.REVIEW -> {
                Object rating = e.properties() == null ? null : e.properties().get("rating");
                if (rating instanceof Number n && n.intValue() <= LOW_RATING) u.addToSet("lowReviewIds", e.eventId());
            }
            case "complaint_resolved" -> {
                Object complaint = e.properties() == null ? null : e.properties().get("complaintEventId");
                if (complaint != null) {
                    mongo.updateFirst(Query.query(Criteria.where("_id").is(e.customerId())),
                            new Update().pull("openComplaints", Query.query(Criteria.where("id").is(complaint.toString()))
                                    .getQueryObject()), ActivitySignals.class);
                }
            }
            default -> {
            }
        }
        if (!u.getUpdateObject().isEmpty()) {
            mongo.upsert(Query.query(Criteria.where("_id").is(e.customerId())), u, ActivitySignals.class);
        }
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
