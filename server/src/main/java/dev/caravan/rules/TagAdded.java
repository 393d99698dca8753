package dev.caravan.rules;

import java.time.Instant;

/** Domain event: a rule gave the customer a tag (kebab-case, e.g. {@code at-risk}). */
public record TagAdded(String customerId, String tag, String file, String rule, long version, Instant at, boolean live) implements RuleEvent {
}
