package dev.caravan.workflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.customer.ErasureContext;
import dev.caravan.customer.ErasureResult;
import dev.caravan.customer.PersonalDataHolder;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Journeys in data-subject requests. Erasure runs first of all holders: every running journey instance of the
 * customer is cancelled through the engine (so no step fires any more), then the customer's due work (BPMN timers,
 * palette waits, queued triggers) is deleted, and the journey history (instances with their steps, send decisions,
 * participations, recorded journey messages) is deleted too. Issued coupon codes stay (they carry no contact data
 * and may already be printed on an order).
 */
@Component
class WorkflowPersonalData implements PersonalDataHolder {

    private final JourneyRuntime runtime;
    private final JourneyQueries queries;

    WorkflowPersonalData(JourneyRuntime runtime, JourneyQueries queries) {
        this.runtime = runtime;
        this.queries = queries;
    }

    @Override
    public String section() {
        return "journeys";
    }

    @Override
    public int erasureOrder() {
        return 10;
    }

    @Override
    public Object export(String customerId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instances", queries.ofCustomer(customerId));
        List<Document> decisions = new ArrayList<>();
        runtime.mongo.getCollection(Decisions.COLLECTION).find(new Document("customerId", customerId))
                .forEach(decisions::add);
        out.put("sendDecisions", decisions);
        return out;
    }

    @Override
    public ErasureResult erase(ErasureContext ctx) {
        ErasureResult.Builder r = ErasureResult.builder();
        Document mine = new Document("customerId", new Document("$in", new ArrayList<>(ctx.customerIds())));
        List<String> active = new ArrayList<>();
        runtime.instances.collection().find(new Document(mine).append("status", InstanceStore.ACTIVE))
                .projection(new Document("_id", 1)).forEach(d -> active.add(d.getString("_id")));
        long cancelled = 0;
        for (String id : active) {
            if (runtime.cancel(id, "customer erased")) cancelled++;
        }
        r.count("journeysCancelled", cancelled);
        r.count("timersDeleted", runtime.mongo.getCollection(WorkStore.COLLECTION).deleteMany(mine).getDeletedCount());
        r.count("instancesDeleted", runtime.instances.collection().deleteMany(mine).getDeletedCount());
        r.count("decisionsDeleted", runtime.mongo.getCollection(Decisions.COLLECTION).deleteMany(mine).getDeletedCount());
        r.count("participationsDeleted", runtime.mongo.getCollection(Participations.COLLECTION)
                .deleteMany(new Document("_id", mine.get("customerId"))).getDeletedCount());
        r.count("journeyOutboxDeleted", runtime.mongo.getCollection(StoringJourneyMessenger.COLLECTION)
                .deleteMany(mine).getDeletedCount());
        return r.note("running journeys are cancelled, their timers and waits removed, and the journey history deleted")
                .build();
    }
}
