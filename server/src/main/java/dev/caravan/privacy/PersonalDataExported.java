package dev.caravan.privacy;

import java.time.Instant;

/** Domain event: everything held about a customer was exported (for the audit log). */
public record PersonalDataExported(String customerId, String actor, Instant at) {
}
