package dev.caravan.order;

import java.util.List;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * Every order of one customer in placement order, keyed by the customer id. It exists because the embedded store
 * has no secondary indexes: reading one customer's orders from {@code orders} is a full scan, reading this is a
 * primary-key lookup. Maintained by {@link OrderWriter}; rebuilt from the orders on merge and unmerge.
 */
@Document("purchase_histories")
public record PurchaseHistory(@MongoId(FieldType.STRING) String customerId, List<Purchase> purchases) {

    /** Purchases that count (not cancelled, with an amount and a date). */
    public List<Purchase> counted() {
        return purchases.stream().filter(Purchase::counts).toList();
    }
}
