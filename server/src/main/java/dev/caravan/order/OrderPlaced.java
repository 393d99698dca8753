package dev.caravan.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Domain event: an order was stored for the first time. {@code live} is false for imported history. */
public record OrderPlaced(String orderKey, String customerId, String platform, String externalId,
                          BigDecimal totalBase, String currency, BigDecimal total, Instant placedAt,
                          List<String> couponCodes, boolean live) implements OrderEvent {
}
