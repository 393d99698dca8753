package dev.caravan.order;

import dev.caravan.common.store.ByIds;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;

/** Reads customers' purchase histories by id, and keeps them in step with the orders. */
@Service
public class PurchaseHistories {

    private static final Comparator<Purchase> BY_TIME = Comparator.comparing(Purchase::placedAt,
            Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Purchase::orderKey);

    private final MongoTemplate mongo;

    public PurchaseHistories(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** Histories of these customers; a customer without orders gets an empty history. */
    public Map<String, PurchaseHistory> of(Collection<String> customerIds) {
        Map<String, PurchaseHistory> out = new HashMap<>();
        if (customerIds.isEmpty()) return out;
        ByIds.find(mongo, customerIds, PurchaseHistory.class)
                .forEach(h -> out.put(h.customerId(), h));
        customerIds.forEach(id -> out.putIfAbsent(id, new PurchaseHistory(id, List.of())));
        return out;
    }

    public PurchaseHistory of(String customerId) {
        return of(List.of(customerId)).get(customerId);
    }

    /** Puts these orders' current state into their customers' histories (called by the order writer). */
    void record(Collection<Order> orders) {
        Map<String, List<Order>> byCustomer = new LinkedHashMap<>();
        orders.stream().filter(o -> o.customerId() != null)
                .forEach(o -> byCustomer.computeIfAbsent(o.customerId(), k -> new ArrayList<>()).add(o));
        if (byCustomer.isEmpty()) return;
        Map<String, PurchaseHistory> current = of(byCustomer.keySet());
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, PurchaseHistory.class);
        byCustomer.forEach((id, changed) -> {
            Map<String, Purchase> entries = new LinkedHashMap<>();
            current.get(id).purchases().forEach(p -> entries.put(p.orderKey(), p));
            changed.forEach(o -> entries.put(o.id(), Purchase.of(o)));
            List<Purchase> sorted = new ArrayList<>(entries.values());
            sorted.sort(BY_TIME);
            PurchaseHistory history = new PurchaseHistory(id, sorted);
            if (current.get(id).purchases().isEmpty()) {
                bulk.upsert(Query.query(Criteria.where("_id").is(id)), Update.update("purchases", sorted));
            } else {
                bulk.replaceOne(Query.query(Criteria.where("_id").is(id)), history);
            }
        });
        bulk.execute();
    }

    /**
     * Rebuilds these customers' histories from the orders collection (after merges move orders around, or after a
     * bulk import). Many customers are served by one pass over all orders, which the embedded store scans anyway.
     */
    void rebuild(Collection<String> customerIds) {
        if (customerIds.isEmpty()) return;
        Map<String, List<Purchase>> byCustomer = new HashMap<>();
        customerIds.forEach(id -> byCustomer.put(id, new ArrayList<>()));
        Query q = customerIds.size() > 200 ? Query.query(Criteria.where("customerId").ne(null))
                : Query.query(Criteria.where("customerId").in(customerIds));
        q.fields().include("customerId", "placedAt", "totalBase", "platform", "status", "couponCodes", "lines.category");
        try (var orders = mongo.stream(q, org.bson.Document.class, "orders")) {
            orders.forEach(o -> {
                List<Purchase> list = byCustomer.get(o.getString("customerId"));
                if (list != null) list.add(Purchase.of(o));
            });
        }
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, PurchaseHistory.class);
        byCustomer.forEach((id, purchases) -> {
            purchases.sort(BY_TIME);
            bulk.replaceOne(Query.query(Criteria.where("_id").is(id)), new PurchaseHistory(id, purchases),
                    org.springframework.data.mongodb.core.FindAndReplaceOptions.options().upsert());
        });
        bulk.execute();
    }
}
