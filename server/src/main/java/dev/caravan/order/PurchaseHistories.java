package dev.caravan.order;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.caravan.common.store.ByIds;
import dev.caravan.customer.Customer;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;

/**
 * Reads customers' purchase histories by id, and keeps them — and the customer metrics derived from them — in step
 * with the orders and returns. Each customer costs two single-document writes per batch: the history, and one
 * top-level {@code $set} of the metrics (on the embedded store much cheaper than field-by-field increments).
 */
@Service
public class PurchaseHistories {

    private static final Comparator<Purchase> BY_TIME = Comparator.comparing(Purchase::placedAt,
            Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Purchase::orderKey);
    private static final Comparator<RefundEntry> REFUNDS_BY_TIME = Comparator.comparing(RefundEntry::at,
            Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(RefundEntry::key);
    /** Above this many customers one pass over all orders beats a {@code $in} match (a scan per query anyway). */
    static final int FULL_PASS_ABOVE = 200;

    private final MongoTemplate mongo;

    public PurchaseHistories(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** Histories of these customers; a customer without orders gets an empty history. */
    public Map<String, PurchaseHistory> of(Collection<String> customerIds) {
        Map<String, PurchaseHistory> out = new HashMap<>();
        if (customerIds.isEmpty()) return out;
        ByIds.find(mongo, customerIds, PurchaseHistory.class).forEach(h -> out.put(h.customerId(), h));
        customerIds.forEach(id -> out.putIfAbsent(id, new PurchaseHistory(id, List.of())));
        return out;
    }

    public PurchaseHistory of(String customerId) {
        return of(List.of(customerId)).get(customerId);
    }

    /**
     * Puts these orders' and returns' current state into their customers' histories and metrics (called by the
     * order writer under the customer write lock). Returns the customers whose metrics changed.
     */
    Set<String> record(Collection<Order> orders, Collection<ReturnRecord> returns) {
        Map<String, List<Order>> ordersOf = new LinkedHashMap<>();
        Map<String, List<ReturnRecord>> returnsOf = new LinkedHashMap<>();
        orders.stream().filter(o -> o.customerId() != null)
                .forEach(o -> ordersOf.computeIfAbsent(o.customerId(), k -> new ArrayList<>()).add(o));
        returns.stream().filter(r -> r.customerId() != null)
                .forEach(r -> returnsOf.computeIfAbsent(r.customerId(), k -> new ArrayList<>()).add(r));
        Set<String> customers = new LinkedHashSet<>(ordersOf.keySet());
        customers.addAll(returnsOf.keySet());
        if (customers.isEmpty()) return Set.of();

        Map<String, PurchaseHistory> current = of(customers);
        List<PurchaseHistory> updated = new ArrayList<>(customers.size());
        for (String id : customers) {
            PurchaseHistory h = current.get(id);
            Map<String, Purchase> purchases = new LinkedHashMap<>();
            h.purchases().forEach(p -> purchases.put(p.orderKey(), p));
            ordersOf.getOrDefault(id, List.of()).forEach(o -> purchases.put(o.id(), Purchase.of(o)));
            Map<String, RefundEntry> refunds = new LinkedHashMap<>();
            h.refunds().forEach(r -> refunds.put(r.key(), r));
            returnsOf.getOrDefault(id, List.of()).forEach(r -> refunds.put(r.id(), RefundEntry.of(r)));
            updated.add(history(id, purchases.values(), refunds.values()));
        }
        write(updated);
        return customers;
    }

    /**
     * Rebuilds these customers' histories and metrics from the orders and returns collections (after merges move
     * orders around, or after a bulk import). Many customers are served by one pass over all orders, which the
     * embedded store scans anyway.
     */
    void rebuild(Collection<String> customerIds) {
        if (customerIds.isEmpty()) return;
        Map<String, List<Purchase>> purchases = new HashMap<>();
        Map<String, List<RefundEntry>> refunds = new HashMap<>();
        customerIds.forEach(id -> {
            purchases.put(id, new ArrayList<>());
            refunds.put(id, new ArrayList<>());
        });
        boolean fullPass = customerIds.size() > FULL_PASS_ABOVE;
        Query orders = fullPass ? Query.query(Criteria.where("customerId").ne(null))
                : Query.query(Criteria.where("customerId").in(customerIds));
        orders.fields().include("customerId", "placedAt", "totalBase", "platform", "status", "couponCodes", "lines.category");
        try (var stream = mongo.stream(orders, Document.class, "orders")) {
            stream.forEach(o -> {
                List<Purchase> list = purchases.get(o.getString("customerId"));
                if (list != null) list.add(Purchase.of(o));
            });
        }
        Query rets = fullPass ? Query.query(Criteria.where("customerId").ne(null))
                : Query.query(Criteria.where("customerId").in(customerIds));
        rets.fields().include("customerId", "at", "amountBase");
        try (var stream = mongo.stream(rets, ReturnRecord.class)) {
            stream.forEach(r -> {
                List<RefundEntry> list = refunds.get(r.customerId());
                if (list != null) list.add(RefundEntry.of(r));
            });
        }
        List<PurchaseHistory> histories = new ArrayList<>(customerIds.size());
        for (String id : customerIds) {
            histories.add(history(id, purchases.get(id), refunds.get(id)));
        }
        write(histories);
    }

    private static PurchaseHistory history(String id, Collection<Purchase> purchases, Collection<RefundEntry> refunds) {
        List<Purchase> p = new ArrayList<>(purchases);
        p.sort(BY_TIME);
        List<RefundEntry> r = new ArrayList<>(refunds);
        r.sort(REFUNDS_BY_TIME);
        return new PurchaseHistory(id, p, r);
    }

    /**
     * Writes histories and their metrics with the driver directly: these two writes per customer are the hottest in
     * ingestion, and the documents are simple enough to build by hand.
     */
    private void write(List<PurchaseHistory> histories) {
        if (histories.isEmpty()) return;
        List<ReplaceOneModel<Document>> historyOps = new ArrayList<>(histories.size());
        List<UpdateOneModel<Document>> metricOps = new ArrayList<>(histories.size());
        ReplaceOptions upsert = new ReplaceOptions().upsert(true);
        for (PurchaseHistory h : histories) {
            Document id = new Document("_id", h.customerId());
            historyOps.add(new ReplaceOneModel<>(id, HistoryDocuments.history(h), upsert));
            metricOps.add(new UpdateOneModel<>(id, new Document("$set",
                    new Document("metrics", HistoryDocuments.metrics(h.metrics())))));
        }
        BulkWriteOptions unordered = new BulkWriteOptions().ordered(false);
        mongo.getCollection(mongo.getCollectionName(PurchaseHistory.class)).bulkWrite(historyOps, unordered);
        mongo.getCollection(mongo.getCollectionName(Customer.class)).bulkWrite(metricOps, unordered);
    }
}
