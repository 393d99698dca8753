package dev.caravan.loyalty;

import java.time.Instant;
import java.util.List;

import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * A customer's loyalty document, keyed by customer id: the points ledger (entries, append-only) with the balance
 * derived from it, and the coupon codes issued to the customer. Every ledger write is one compare-and-set on
 * {@code (_id, v)}, so the cached {@code balance} and {@code nextExpiryAt} always agree with the entries and
 * concurrent writers (threads or servers) cannot overspend.
 *
 * @param v            version, incremented by every ledger write
 * @param balance      the sum of the entries' points
 * @param nextExpiryAt when the earliest unspent credit expires (null = nothing to expire)
 * @param coupons      codes issued to the customer, oldest first
 */
@Document("loyalty_accounts")
// exactly the shape of the version-checked update, so the embedded store finds the document by index
@CompoundIndex(name = "id_v", def = "{'_id': 1, 'v': 1}", unique = true)
public record LoyaltyAccount(@MongoId(FieldType.STRING) String customerId, long v, long balance,
                             @Indexed Instant nextExpiryAt, List<PointsEntry> entries, List<CouponRef> coupons,
                             Instant updatedAt) {

    public LoyaltyAccount {
        entries = entries == null ? List.of() : entries;
        coupons = coupons == null ? List.of() : coupons;
    }

    /** A coupon code issued to the customer. */
    public record CouponRef(String code, String definitionId, Instant issuedAt) {
    }

    static LoyaltyAccount empty(String customerId) {
        return new LoyaltyAccount(customerId, 0, 0, null, List.of(), List.of(), null);
    }
}
