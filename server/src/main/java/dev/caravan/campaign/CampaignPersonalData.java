package dev.caravan.campaign;

import java.util.List;

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
 * Campaigns in data-subject requests: the customer's campaign sends. Erasure cancels sends still waiting (before
 * messaging suppresses queued messages, so no campaign queues a new one) and keeps the others (state, times,
 * revenue: campaign reports add up); they hold no contact data.
 */
@Component
class CampaignPersonalData implements PersonalDataHolder {

    private final MongoTemplate mongo;

    CampaignPersonalData(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public String section() {
        return "campaigns";
    }

    @Override
    public int erasureOrder() {
        return 15;
    }

    @Override
    public Object export(String customerId) {
        return mongo.find(Query.query(Criteria.where("customerId").is(customerId)).with(Sort.by("dueAt")),
                CampaignSend.class);
    }

    @Override
    public ErasureResult erase(ErasureContext ctx) {
        long cancelled = mongo.updateMulti(Query.query(Criteria.where("customerId").in(ctx.customerIds())
                        .and("state").in(List.of("waiting", "pending"))),
                new Update().set("state", "cancelled").set("reason", "customer erased"), CampaignSend.class)
                .getModifiedCount();
        return ErasureResult.builder().count("sendsCancelled", cancelled)
                .note("campaign sends keep state, times and revenue under the anonymous id").build();
    }
}
