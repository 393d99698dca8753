package dev.caravan.order;

import java.math.BigDecimal;
import java.time.Instant;

/** Domain event: a return, refund or cancellation invoice was stored for the first time. */
public record OrderRefunded(String returnKey, String orderKey, String customerId, String kind, BigDecimal amountBase,
                            Instant at, boolean live) implements OrderEvent {
}
