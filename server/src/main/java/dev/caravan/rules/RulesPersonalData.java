package dev.caravan.rules;

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
 * The rules' per-customer records in data-subject requests: the decision state (tier, lifecycle, level, tags and
 * churn risks with the deciding rule and their history), the activity signals the rules keep (complaints, activity
 * counters) and a queued re-evaluation. Erasure deletes all three; the profile stub keeps the current tier,
 * lifecycle, level and tags for the aggregate reports.
 */
@Component
class RulesPersonalData implements PersonalDataHolder {

    private final MongoTemplate mongo;

    RulesPersonalData(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public String section() {
        return "rules";
    }

    @Override
    public Object export(String customerId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("decisions", mongo.findById(customerId, RuleState.class));
        out.put("activitySignals", mongo.findById(customerId, ActivitySignals.class));
        return out;
    }

    @Override
    public ErasureResult erase(ErasureContext ctx) {
        Query q = Query.query(Criteria.where("_id").in(ctx.customerIds()));
        return ErasureResult.builder()
                .count("ruleStatesDeleted", mongo.remove(q, RuleState.class).getDeletedCount())
                .count("activitySignalsDeleted", mongo.remove(Query.of(q), ActivitySignals.class).getDeletedCount())
                .count("queuedDeleted", mongo.remove(Query.of(q), RuleQueue.Entry.class).getDeletedCount())
                .note("rule decisions, their history and activity signals are deleted; the profile stub keeps the "
                        + "current tier, lifecycle, level and tags")
                .build();
    }
}
