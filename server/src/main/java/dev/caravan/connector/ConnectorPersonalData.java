package dev.caravan.connector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.customer.ErasureContext;
import dev.caravan.customer.ErasureResult;
import dev.caravan.customer.PersonalDataHolder;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Marketplace data in data-subject requests. Buyer profiles, orders and refunds from connectors live in the
 * customer and order features; the connector itself keeps the privacy requests platforms forwarded (with the
 * buyer's e-mail and phone as the platform sent them) and the last skipped records of each connection (which may
 * quote a buyer's address). Erasure blanks the contact data of the person's requests (kept as the record that the
 * request was honoured) and drops skipped-record notes naming them.
 */
@Component
class ConnectorPersonalData implements PersonalDataHolder {

    private final MongoTemplate mongo;

    ConnectorPersonalData(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public String section() {
        return "marketplaces";
    }

    @Override
    public Object export(String customerId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("privacyRequests", mongo.find(Query.query(Criteria.where("customerIds").is(customerId)),
                DataSubjectRequest.class));
        return out;
    }

    @Override
    public ErasureResult erase(ErasureContext ctx) {
        List<String> requests = new ArrayList<>();
        try (var all = mongo.stream(new Query(), DataSubjectRequest.class)) {
            all.forEach(r -> {
                boolean linked = r.customerIds() != null && r.customerIds().stream().anyMatch(ctx.customerIds()::contains);
                if ((linked || ctx.mentions(r.email()) || ctx.mentions(r.phone()))
                        && (r.email() != null || r.phone() != null)) {
                    requests.add(r.id());
                }
            });
        }
        long scrubbed = 0;
        for (String id : requests) {
            scrubbed += mongo.updateFirst(Query.query(Criteria.where("_id").is(id)),
                    new Update().unset("email").unset("phone"), DataSubjectRequest.class).getModifiedCount();
        }
        long notes = 0;
        for (Connection c : mongo.find(new Query(), Connection.class)) {
            List<String> kept = c.getLastSkipped().stream().filter(s -> !ctx.mentions(s)).toList();
            if (kept.size() != c.getLastSkipped().size()) {
                notes += c.getLastSkipped().size() - kept.size();
                mongo.updateFirst(Query.query(Criteria.where("_id").is(c.getId())), Update.update("lastSkipped", kept),
                        Connection.class);
            }
        }
        return ErasureResult.builder().count("privacyRequestsScrubbed", scrubbed)
                .count("skippedNotesDeleted", notes)
                .note("privacy requests stay as evidence without e-mail and phone").build();
    }
}
