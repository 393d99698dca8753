package dev.caravan.customer;

import java.time.Instant;

/**
 * Domain event: a customer's marketing consent for a channel was set by ingested data (an event, an import row, a
 * marketplace opt-in). Messaging records it in its consent ledger.
 *
 * @param granted  the new value
 * @param previous the value before, or null when there was none
 * @param source   evidence as the record stated it (e.g. {@code event:e-17}, an import job)
 */
public record ConsentChanged(String customerId, String channel, boolean granted, Boolean previous, String source,
                             Instant at, String actor) {
}
