package dev.caravan.loyalty.coupon;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * One coupon code ({@code _id} = the code, upper case). A unique code is {@code available} (generated in bulk, not
 * given to anybody yet), {@code issued} (to a customer) or {@code redeemed} (by one order, recorded in
 * {@code redemption}); it moves to redeemed by one compare-and-set on {@code (_id, status)}, so two orders racing for
 * it cannot both win. A shared code stays {@code active}; its {@code uses} are counted by compare-and-set on
 * {@code (_id, v)}. {@code kind}, {@code value}, {@code currency} and {@code minOrder} are copied from the definition
 * at issue (a journey may give a different value from the same definition).
 */
@Document("coupon_codes")
// exactly the shapes of the compare-and-set updates, so the embedded store finds the document by index
@CompoundIndex(name = "id_status", def = "{'_id': 1, 'status': 1}", unique = true)
@CompoundIndex(name = "id_v", def = "{'_id': 1, 'v': 1}", unique = true)
public record CouponCode(
        @MongoId(FieldType.STRING) String code,
        @Indexed String definitionId,
        String mode,
        String status,
        @Indexed String customerId,
        String originCustomerId,
        String kind,
        BigDecimal value,
        String currency,
        BigDecimal minOrder,
        Instant issuedAt,
        Instant expiresAt,
        Attribution attribution,
        String issueKey,
        String batchId,
        Redemption redemption,
        List<Rejection> rejections,
        long uses,
        long v) {

    public static final String AVAILABLE = "available";
    public static final String ISSUED = "issued";
    public static final String REDEEMED = "redeemed";
    public static final String VOID = "void";
    public static final String ACTIVE = "active";

    public CouponCode {
        rejections = rejections == null ? List.of() : rejections;
    }

    /** The order that redeemed a code. */
    public record Redemption(String orderKey, String customerId, Instant at, BigDecimal totalBase, String currency,
                             BigDecimal total, boolean live) {
    }

    /** An order that quoted the code but could not redeem it (last 20 kept). */
    public record Rejection(String orderKey, String customerId, String reason, Instant at) {
    }

    public String display() {
        return CouponDefinition.display(kind, value, currency);
    }
}
