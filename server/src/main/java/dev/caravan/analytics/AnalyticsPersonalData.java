package dev.caravan.analytics;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.caravan.customer.Customer;
import dev.caravan.customer.ErasureContext;
import dev.caravan.customer.ErasureResult;
import dev.caravan.customer.PersonalDataHolder;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Analytics in data-subject requests: the per-customer predictions (CLV, probability alive, expected purchases,
 * next order). They are numbers derived from the purchase history, which erasure keeps without identity, so
 * erasure keeps them on the anonymous profile stub too (CLV distributions and at-risk counts still add up);
 * snapshots and fitted models hold aggregates only.
 */
@Component
class AnalyticsPersonalData implements PersonalDataHolder {

    private final MongoTemplate mongo;

    AnalyticsPersonalData(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public String section() {
        return "analytics";
    }

    @Override
    public Object export(String customerId) {
        Customer c = mongo.findById(customerId, Customer.class);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("predictions", c == null ? null : c.getPredictions());
        return out;
    }

    @Override
    public ErasureResult erase(ErasureContext ctx) {
        return ErasureResult.builder()
                .note("predictions are derived numbers without identity and stay on the anonymous stub").build();
    }
}
