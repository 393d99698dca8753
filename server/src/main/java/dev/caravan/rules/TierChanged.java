package dev.caravan.rules;

import java.time.Instant;

/**
 * Domain event: the rules moved a customer to another value tier ({@code core}, {@code growth}, {@code base}).
 * {@code from} is null at the first evaluation. {@code file} and {@code rule} name the deciding rule, {@code version}
 * the rule-set version. {@code live} is false when the change comes from imported history.
 */
public record TierChanged(String customerId, String from, String to, String file, String rule, long version,
                          Instant at, boolean live) implements RuleEvent {
}
