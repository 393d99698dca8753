package dev.caravan.rules;

import java.time.Instant;

/** Domain event: the membership level changed ({@code silver}, {@code gold}, {@code diamond}); null = no level. */
public record MembershipChanged(String customerId, String from, String to, String file, String rule, long version,
                                Instant at, boolean live) implements RuleEvent {
}
