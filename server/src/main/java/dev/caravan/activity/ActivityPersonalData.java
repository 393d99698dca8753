package dev.caravan.activity;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.caravan.customer.ErasureContext;
import dev.caravan.customer.ErasureResult;
import dev.caravan.customer.PersonalDataHolder;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Behaviour events and interactions in data-subject requests. Erasure keeps each event's id (replays stay
 * duplicates), type and time, and each interaction's kind, platform, order, rating and time, so activity counts
 * and review averages still add up; the properties sent with events, the identity keys and the interaction texts
 * (which may quote names and addresses) are removed.
 */
@Component
class ActivityPersonalData implements PersonalDataHolder {

    private final MongoTemplate mongo;

    ActivityPersonalData(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public String section() {
        return "activity";
    }

    @Override
    public Object export(String customerId) {
        Query q = Query.query(Criteria.where("customerId").is(customerId));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("events", mongo.find(Query.of(q).with(Sort.by("occurredAt")), BehaviourEvent.class));
        out.put("interactions", mongo.find(Query.of(q).with(Sort.by("occurredAt")), Interaction.class));
        return out;
    }

    @Override
    public ErasureResult erase(ErasureContext ctx) {
        Query q = Query.query(Criteria.where("customerId").in(ctx.customerIds()));
        long events = mongo.updateMulti(q, new Update().unset("identityKey").set("properties", Map.of()),
                BehaviourEvent.class).getModifiedCount();
        long interactions = mongo.updateMulti(q, new Update().unset("identityKey").unset("text").unset("sku"),
                Interaction.class).getModifiedCount();
        return ErasureResult.builder().count("eventsAnonymised", events)
                .count("interactionsAnonymised", interactions)
                .note("events keep id, type and time; interactions keep kind, platform, order, rating and time")
                .build();
    }
}
