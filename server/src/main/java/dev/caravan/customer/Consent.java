package dev.caravan.customer;

import java.time.Instant;

/**
 * The customer's marketing consent for one channel: whether it is granted, and where that came from
 * (an event id, an import, the unsubscribe link...). Transactional messages rest on the order relationship.
 */
public record Consent(boolean granted, String source, Instant updatedAt) {
}
