package dev.caravan.order;

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
 * Orders, returns and the purchase history in data-subject requests. Erasure keeps every order and return with its
 * amounts, dates, lines, status and country under the (now anonymous) customer id, so revenue totals, cohorts and
 * CLV still add up; it removes the identity key each record arrived with (it names the e-mail, phone or buyer id)
 * and the free-text return reason.
 */
@Component
class OrderPersonalData implements PersonalDataHolder {

    private final MongoTemplate mongo;
    private final PurchaseHistories histories;

    OrderPersonalData(MongoTemplate mongo, PurchaseHistories histories) {
        this.mongo = mongo;
        this.histories = histories;
    }

    @Override
    public String section() {
        return "orders";
    }

    @Override
    public Object export(String customerId) {
        Query q = Query.query(Criteria.where("customerId").is(customerId));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("orders", mongo.find(Query.of(q).with(Sort.by("placedAt")), Order.class));
        out.put("returns", mongo.find(Query.of(q).with(Sort.by("at")), ReturnRecord.class));
        out.put("purchaseHistory", histories.of(customerId));
        return out;
    }

    @Override
    public ErasureResult erase(ErasureContext ctx) {
        Query q = Query.query(Criteria.where("customerId").in(ctx.customerIds()).and("identityKey").ne(null));
        long orders = mongo.updateMulti(q, new Update().unset("identityKey"), Order.class).getModifiedCount();
        Query r = Query.query(Criteria.where("customerId").in(ctx.customerIds()));
        long returns = mongo.updateMulti(r, new Update().unset("identityKey").unset("reason"), ReturnRecord.class)
                .getModifiedCount();
        return ErasureResult.builder().count("ordersAnonymised", orders).count("returnsAnonymised", returns)
                .note("orders and returns keep amounts, dates, lines and country under the anonymous customer id "
                        + "(revenue totals unchanged); the identity key they arrived with is removed")
                .build();
    }
}
