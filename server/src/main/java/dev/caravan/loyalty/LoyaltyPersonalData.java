package dev.caravan.loyalty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.customer.ErasureContext;
import dev.caravan.customer.ErasureResult;
import dev.caravan.customer.PersonalDataHolder;
import dev.caravan.loyalty.coupon.CouponCode;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Loyalty in data-subject requests: the points account (ledger entries, issued coupons) and coupon codes issued to the
 * customer. Erasure keeps the points and coupon records under the anonymous id (points liability and coupon
 * redemption reports add up) but removes the free text of ledger entries (reason, actor, details), which may name
 * the person.
 */
@Component
class LoyaltyPersonalData implements PersonalDataHolder {

    private final MongoTemplate mongo;

    LoyaltyPersonalData(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public String section() {
        return "loyalty";
    }

    @Override
    public Object export(String customerId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("account", mongo.findById(customerId, LoyaltyAccount.class));
        out.put("coupons", mongo.find(Query.query(Criteria.where("customerId").is(customerId)), CouponCode.class));
        return out;
    }

    @Override
    public ErasureResult erase(ErasureContext ctx) {
        long entries = 0;
        for (String id : ctx.customerIds()) {
            LoyaltyAccount a = mongo.findById(id, LoyaltyAccount.class);
            if (a == null || a.entries().isEmpty()) continue;
            List<PointsEntry> scrubbed = a.entries().stream().map(e -> new PointsEntry(e.id(), e.source(), e.type(),
                    e.points(), e.at(), e.occurredAt(), e.expiresAt(), e.orderKey(), e.amountBase(), e.gross(), null,
                    e.ref(), null, e.origin(), Map.of())).toList();
            mongo.updateFirst(Query.query(Criteria.where("_id").is(id)),
                    new Update().set("entries", scrubbed).inc("v", 1), LoyaltyAccount.class);
            entries += scrubbed.size();
        }
        return ErasureResult.builder().count("pointsEntriesAnonymised", entries)
                .note("points and coupons stay under the anonymous id; ledger reasons, actors and details removed")
                .build();
    }
}
