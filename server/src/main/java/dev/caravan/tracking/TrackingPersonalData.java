package dev.caravan.tracking;

import dev.caravan.customer.ErasureContext;
import dev.caravan.customer.ErasureResult;
import dev.caravan.customer.PersonalDataHolder;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Storefront tracking in data-subject requests: the visitor records joined to the customer (with any events still
 * buffered). Erasure deletes them; the browser's visitor id then identifies nobody.
 */
@Component
class TrackingPersonalData implements PersonalDataHolder {

    private final MongoTemplate mongo;

    TrackingPersonalData(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public String section() {
        return "tracking";
    }

    @Override
    public Object export(String customerId) {
        return mongo.find(Query.query(Criteria.where("customerId").is(customerId)), Visitor.class);
    }

    @Override
    public ErasureResult erase(ErasureContext ctx) {
        return ErasureResult.builder()
                .count("visitorsDeleted", mongo.remove(Query.query(Criteria.where("customerId").in(ctx.customerIds())),
                        Visitor.class).getDeletedCount())
                .note("visitor records joined to the customer are deleted").build();
    }
}
