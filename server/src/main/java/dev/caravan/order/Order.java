package dev.caravan.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * An order from any platform. The {@code _id} is derived from platform, store and the platform's order id, so
 * re-importing or re-polling the same order updates it instead of adding it. Amounts are kept in the order's
 * currency and converted to the shop's base currency at the rate of the order date. Guest orders (no buyer
 * identity) have no customer but still count in totals.
 */
@Document("orders")
public record Order(
        @MongoId(FieldType.STRING) String id,
        String platform,
        String storeId,
        String externalId,
        @Indexed String customerId,
        String identityKey,
        boolean guest,
        List<OrderLine> lines,
        String currency,
        BigDecimal total,
        BigDecimal totalBase,
        String baseCurrency,
        String status,
        Instant placedAt,
        Instant shippedAt,
        Instant deliveredAt,
        Instant cancelledAt,
        List<String> couponCodes,
        String country,
        String source) {

    public static String keyOf(String platform, String storeId, String externalId) {
        return platform + "/" + (storeId == null ? "" : storeId) + "/" + externalId;
    }

    /** Whether the order counts in the customer's orders and spend. */
    public boolean counts() {
        return customerId != null && !OrderStatus.CANCELLED.equals(status) && totalBase != null && placedAt != null;
    }
}
