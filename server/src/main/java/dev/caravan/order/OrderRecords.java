package dev.caravan.order;

import java.util.Collection;
import java.util.List;

import dev.caravan.customer.CustomerRecords;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/** Moves orders and returns between customers when they are merged or split. */
@Component
class OrderRecords implements CustomerRecords {

    private final MongoTemplate mongo;
    private final PurchaseHistories histories;

    OrderRecords(MongoTemplate mongo, PurchaseHistories histories) {
        this.mongo = mongo;
        this.histories = histories;
    }

    @Override
    public void reassign(String fromCustomerId, String toCustomerId) {
        Query q = Query.query(Criteria.where("customerId").is(fromCustomerId));
        Update u = Update.update("customerId", toCustomerId);
        mongo.updateMulti(q, u, Order.class);
        mongo.updateMulti(q, u, ReturnRecord.class);
        histories.rebuild(List.of(fromCustomerId, toCustomerId));
    }

    @Override
    public void reassignByIdentity(String fromCustomerId, Collection<String> identityKeys, String toCustomerId) {
        Query q = Query.query(Criteria.where("customerId").is(fromCustomerId).and("identityKey").in(identityKeys));
        Update u = Update.update("customerId", toCustomerId);
        mongo.updateMulti(q, u, Order.class);
        mongo.updateMulti(q, u, ReturnRecord.class);
        histories.rebuild(List.of(fromCustomerId, toCustomerId));
    }
}
