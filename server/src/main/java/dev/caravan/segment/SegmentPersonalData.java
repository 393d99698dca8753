package dev.caravan.segment;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.caravan.customer.ErasureContext;
import dev.caravan.customer.ErasureResult;
import dev.caravan.customer.PersonalDataHolder;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Segments in data-subject requests: the customer's memberships and the behaviour summary segments keep. Erasure
 * deletes both and any queued re-evaluation; the anonymous stub may join segments again by its kept tier or metrics.
 */
@Component
class SegmentPersonalData implements PersonalDataHolder {

    private final MongoTemplate mongo;

    SegmentPersonalData(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public String section() {
        return "segments";
    }

    @Override
    public Object export(String customerId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("memberships", mongo.findById(customerId, SegmentMembership.class));
        out.put("behaviour", mongo.findById(customerId, BehaviourSummary.class));
        return out;
    }

    @Override
    public ErasureResult erase(ErasureContext ctx) {
        Query q = Query.query(Criteria.where("_id").in(ctx.customerIds()));
        return ErasureResult.builder()
                .count("membershipsDeleted", mongo.remove(q, SegmentMembership.class).getDeletedCount())
                .count("behaviourSummariesDeleted", mongo.remove(Query.of(q), BehaviourSummary.class).getDeletedCount())
                .count("queuedDeleted", mongo.remove(Query.of(q), SegmentQueue.Entry.class).getDeletedCount())
                .note("segment memberships and behaviour summaries are deleted").build();
    }
}
