package dev.caravan.customer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.money.ExchangeRateService;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The profile's part in data-subject requests: the profile, its identity keys and merge history. Erasure runs last:
 * identity keys and merge snapshots are deleted, the profile becomes an anonymous stub ({@code erasedAt} set, every
 * contact field, name, address, birthday, platform identity and consent removed) that keeps the id, metrics, tier,
 * lifecycle, level, tags, country and predictions, so reports per tier or country still add up.
 */
@Component
class CustomerPersonalData implements PersonalDataHolder {

    private final MongoTemplate mongo;
    private final CustomerWriteLock lock;
    private final CustomerMerger merger;
    private final ExchangeRateService rates;

    CustomerPersonalData(MongoTemplate mongo, CustomerWriteLock lock, CustomerMerger merger, ExchangeRateService rates) {
        this.mongo = mongo;
        this.lock = lock;
        this.merger = merger;
        this.rates = rates;
    }

    @Override
    public String section() {
        return "profile";
    }

    @Override
    public int erasureOrder() {
        return Integer.MAX_VALUE;
    }

    @Override
    public Object export(String customerId) {
        Map<String, Object> out = new LinkedHashMap<>();
        Customer c = mongo.findById(customerId, Customer.class);
        out.put("customer", c == null ? null : CustomerDto.of(c, rates.baseCurrency()));
        out.put("identityKeys", mongo.find(Query.query(Criteria.where("customerId").is(customerId)), IdentityKey.class));
        out.put("merges", merger.history(customerId));
        return out;
    }

    @Override
    public ErasureResult erase(ErasureContext ctx) {
        return lock.call(() -> {
            ErasureResult.Builder r = ErasureResult.builder();
            long keys = mongo.remove(Query.query(Criteria.where("customerId").in(ctx.customerIds())), IdentityKey.class)
                    .getDeletedCount();
            if (!ctx.identityKeys().isEmpty()) {
                keys += mongo.remove(Query.query(Criteria.where("_id").in(ctx.identityKeys())), IdentityKey.class)
                        .getDeletedCount();
            }
            r.count("identityKeysDeleted", keys);
            r.count("mergesDeleted", mongo.remove(Query.query(new Criteria().orOperator(
                    Criteria.where("survivorId").in(ctx.customerIds()),
                    Criteria.where("absorbedId").in(ctx.customerIds()))), MergeRecord.class).getDeletedCount());
            Update anonymise = new Update()
                    .unset("displayName").unset("firstName").unset("lastName").unset("birthday").unset("language")
                    .unset("timezone").set("emails", List.of()).set("phones", List.of()).set("addresses", List.of())
                    .set("identities", List.of()).set("consents", Map.of())
                    .set("erasedAt", ctx.at()).set("updatedAt", ctx.at());
            Customer current = mongo.findById(ctx.customerId(), Customer.class);
            long profiles = current == null || current.getErasedAt() != null ? 0 : mongo.updateFirst(
                    Query.query(Criteria.where("_id").is(ctx.customerId())), anonymise, Customer.class).getModifiedCount();
            r.count("profileAnonymised", profiles);
            // absorbed profiles normally no longer exist; any left behind (a crash mid-merge) go entirely
            List<String> others = ctx.customerIds().stream().filter(id -> !id.equals(ctx.customerId())).toList();
            if (!others.isEmpty()) {
                r.count("absorbedProfilesDeleted", mongo.remove(Query.query(Criteria.where("_id").in(others)),
                        Customer.class).getDeletedCount());
            }
            return r.note("the profile stays as an anonymous stub (id, metrics, tier, tags, lifecycle, level, country, "
                    + "predictions) so aggregates add up; contact data, names, addresses, identities and consents are gone")
                    .build();
        });
    }
}
