package dev.caravan.activity;

import java.util.Collection;

import dev.caravan.customer.CustomerRecords;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/** Moves behaviour events and interactions between customers when they are merged or split. */
@Component
class ActivityRecords implements CustomerRecords {

    private final MongoTemplate mongo;

    ActivityRecords(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public void reassign(String fromCustomerId, String toCustomerId) {
        move(Query.query(Criteria.where("customerId").is(fromCustomerId)), toCustomerId);
    }

    @Override
    public void reassignByIdentity(String fromCustomerId, Collection<String> identityKeys, String toCustomerId) {
        move(Query.query(Criteria.where("customerId").is(fromCustomerId).and("identityKey").in(identityKeys)), toCustomerId);
    }

    private void move(Query q, String toCustomerId) {
        Update u = Update.update("customerId", toCustomerId);
        mongo.updateMulti(q, u, BehaviourEvent.class);
        mongo.updateMulti(q, u, Interaction.class);
    }
}
