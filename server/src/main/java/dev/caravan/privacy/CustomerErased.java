package dev.caravan.privacy;

import java.time.Instant;

/** Domain event: a customer's personal data was erased (for the audit log). Carries no personal data. */
public record CustomerErased(String customerId, String reason, String actor, Instant at, long recordsChanged) {
}
