package dev.caravan.rules;

import java.time.Instant;

/** Domain event: the customer's lifecycle stage changed ({@code new}, {@code active}, {@code dormant}, {@code churned}); null = no stage. */
public record LifecycleChanged(String customerId, String from, String to, String file, String rule, long version,
                               Instant at, boolean live) implements RuleEvent {
}
