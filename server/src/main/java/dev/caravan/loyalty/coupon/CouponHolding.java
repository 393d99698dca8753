package dev.caravan.loyalty.coupon;

import java.time.Instant;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * One of the codes a customer may hold of a unique definition with a per-customer limit: {@code _id} =
 * {@code <definition>|<customer>|<n>}, inserted to claim the n-th slot atomically; {@code issueKey} makes a retried
 * issue find its own slot again.
 */
@Document("coupon_holdings")
record CouponHolding(@MongoId(FieldType.STRING) String id, String definitionId, String customerId, int n,
                     String issueKey, Instant at) {

    static String idOf(String definitionId, String customerId, int n) {
        return definitionId + "|" + customerId + "|" + n;
    }
}
