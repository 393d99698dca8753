package dev.caravan.activity;

import java.time.Instant;
import java.util.Map;

/**
 * Domain event: a customer did something (viewed a product, added to cart, complained...). Published for every
 * accepted event, after it is stored. {@code live} is false for imported history.
 */
public record ActivityRecorded(String eventId, String customerId, String type, Instant occurredAt,
                               Map<String, Object> properties, boolean live) {
}
