package dev.caravan.rules;

import java.time.Instant;

/**
 * Domain event: no rule gives the customer this tag any more. {@code file} and {@code rule} name the rule that had
 * set it (null when unknown, e.g. a tag set before the rules ran).
 */
public record TagRemoved(String customerId, String tag, String file, String rule, long version, Instant at,
                         boolean live) implements RuleEvent {
}
