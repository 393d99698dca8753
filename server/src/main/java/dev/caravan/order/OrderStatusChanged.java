package dev.caravan.order;

import java.time.Instant;

/** Domain event: an order moved to another status (shipped, delivered, cancelled...). */
public record OrderStatusChanged(String orderKey, String customerId, String from, String to, Instant at, boolean live) implements OrderEvent {
}
