package dev.caravan.loyalty.coupon;

import java.math.BigDecimal;
import java.time.Instant;

import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * One use of a shared code. {@code _id} = {@code <code>|<customer>|<n>} for the customer's n-th use (n up to the
 * per-customer limit), so inserting it claims the slot atomically; guest orders use {@code guest:<orderKey>}.
 */
@Document("coupon_uses")
public record CouponUse(@MongoId(FieldType.STRING) String id, @Indexed String code, @Indexed String definitionId,
                        String customerId, int n, String orderKey, Instant at, BigDecimal totalBase, String currency,
                        BigDecimal total, Attribution attribution, boolean live) {

    static String idOf(String code, String customerKey, int n) {
        return code + "|" + customerKey + "|" + n;
    }
}
