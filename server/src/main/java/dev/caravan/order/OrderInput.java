package dev.caravan.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An order as stated by one source. Null fields leave stored values alone.
 *
 * @param appendLines the lines continue an order already written by the same import (rows of one order that
 *                    were not adjacent in the file), so they are added to the stored lines instead of replacing them
 */
public record OrderInput(
        String platform,
        String storeId,
        String externalId,
        String customerId,
        String identityKey,
        List<OrderLine> lines,
        String currency,
        BigDecimal total,
        String status,
        Instant placedAt,
        Instant shippedAt,
        Instant deliveredAt,
        Instant cancelledAt,
        List<String> couponCodes,
        String country,
        String source,
        boolean appendLines) {

    public String key() {
        return Order.keyOf(platform, storeId, externalId);
    }

    /** This input attributed to a resolved customer and the identity key it arrived with. */
    public OrderInput forCustomer(String id, String key) {
        return new OrderInput(platform, storeId, externalId, id, key, lines, currency, total, status, placedAt,
                shippedAt, deliveredAt, cancelledAt, couponCodes, country, source, appendLines);
    }
}
