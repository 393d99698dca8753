package dev.caravan.messaging;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Domain event: an order was attributed to a message (last touch: the latest message that reached the customer
 * within the attribution window before the order).
 */
public record MessageConversion(String orderKey, String messageId, String customerId, String channel, String template,
                                String journeyId, String campaignId, BigDecimal totalBase, Instant placedAt,
                                Instant messageAt) {
}
