package dev.caravan.integrations.marketplace;

import java.math.BigDecimal;
import java.time.Instant;

/** A refund (or return) the platform reports on an order; {@code amount} null means the whole order. */
public record MarketplaceRefund(String refundId, String kind, BigDecimal amount, String currency, String reason,
                                Instant at) {
}
