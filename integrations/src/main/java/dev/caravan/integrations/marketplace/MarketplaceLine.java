package dev.caravan.integrations.marketplace;

import java.math.BigDecimal;

/** One order line; {@code unitPrice} in the order's currency. */
public record MarketplaceLine(String lineId, String sku, String title, int quantity, BigDecimal unitPrice) {
}
