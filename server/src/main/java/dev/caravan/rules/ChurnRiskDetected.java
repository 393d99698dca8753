package dev.caravan.rules;

import java.time.Instant;

/**
 * Domain event: a churn trigger newly fired for the customer. {@code reason} is the trigger's id
 * ({@code frequency-drop}, {@code no-interaction}, {@code unresolved-complaint}, {@code low-p-alive}, or one a rule
 * author added); {@code reasons} every reason now active. Emitted once per reason until the reason clears.
 */
public record ChurnRiskDetected(String customerId, String reason, java.util.List<String> reasons, String file,
                                String rule, long version, Instant at, boolean live) implements RuleEvent {
}
