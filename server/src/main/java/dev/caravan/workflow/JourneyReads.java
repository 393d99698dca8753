package dev.caravan.workflow;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.caravan.common.store.ByIds;
import dev.caravan.customer.Customer;
import dev.caravan.order.PurchaseHistories;
import dev.caravan.order.PurchaseHistory;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * The customers, purchase histories and journey participations of one claimed batch of journey work, read with one
 * query each instead of once per trigger, journey start and condition. Installed on the worker threads while they
 * run the batch; every write to a customer or a participation (or a compare-and-set attempt) drops it, so later
 * steps read it again and a lost compare-and-set retries on what is stored. What it holds is at most one
 * batch old, as if the batch had run a moment earlier; messaging re-checks consent at send time.
 */
final class JourneyReads {

    private static final ThreadLocal<JourneyReads> CURRENT = new ThreadLocal<>();

    private final Map<String, Customer> customers = new ConcurrentHashMap<>();
    private final Map<String, PurchaseHistory> histories = new ConcurrentHashMap<>();
    private final Map<String, Document> participations = new ConcurrentHashMap<>();

    static JourneyReads prefetch(MongoTemplate mongo, PurchaseHistories store, Collection<String> customerIds) {
        JourneyReads reads = new JourneyReads();
        if (customerIds.isEmpty()) return reads;
        ByIds.find(mongo, customerIds, Customer.class).forEach(c -> reads.customers.put(c.getId(), c));
        store.of(reads.customers.keySet()).forEach(reads.histories::put);
        List<String> ids = List.copyOf(customerIds);
        for (int i = 0; i < ids.size(); i += 256) {
            mongo.getCollection(Participations.COLLECTION)
                    .find(new Document("_id", new Document("$in", ids.subList(i, Math.min(ids.size(), i + 256)))))
                    .forEach(d -> reads.participations.put(d.getString("_id"), d));
        }
        return reads;
    }

    /** Runs the work with this batch's reads installed on the calling thread. */
    void around(Runnable work) {
        JourneyReads before = CURRENT.get();
        CURRENT.set(this);
        try {
            work.run();
        } finally {
            if (before == null) CURRENT.remove();
            else CURRENT.set(before);
        }
    }

    static Customer customer(String id, Function<String, Customer> read) {
        JourneyReads r = CURRENT.get();
        Customer c = r == null ? null : r.customers.get(id);
        return c != null ? c : read.apply(id);
    }

    static PurchaseHistory history(String id, Function<String, PurchaseHistory> read) {
        JourneyReads r = CURRENT.get();
        PurchaseHistory h = r == null ? null : r.histories.get(id);
        return h != null ? h : read.apply(id);
    }

    /** The customer's journey_customers document as read for the batch, or null (not read, or written since). */
    static Document participation(String customerId) {
        JourneyReads r = CURRENT.get();
        return r == null ? null : r.participations.get(customerId);
    }

    /** The customer's journey_customers document was written (or a write was tried): later reads go to the store. */
    static void forgetParticipation(String customerId) {
        JourneyReads r = CURRENT.get();
        if (r != null) r.participations.remove(customerId);
    }

    /** The customer was written: later reads go to the store. */
    static void forget(String id) {
        JourneyReads r = CURRENT.get();
        if (r != null) r.customers.remove(id);
    }
}
