package dev.caravan.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A return, refund or cancellation as stated by one source; {@code returnId} makes replays idempotent. */
public record ReturnInput(
        String platform,
        String storeId,
        String returnId,
        String orderId,
        String customerId,
        String identityKey,
        String kind,
        List<OrderLine> lines,
        String currency,
        BigDecimal amount,
        String reason,
        Instant at,
        String source) {

    public String key() {
        return Order.keyOf(platform, storeId, returnId);
    }

    /** This input attributed to a resolved customer and the identity key it arrived with. */
    public ReturnInput forCustomer(String id, String key) {
        return new ReturnInput(platform, storeId, returnId, orderId, id, key, kind, lines, currency, amount,
                reason, at, source);
    }
}
