package dev.caravan.customer;

/**
 * Implemented by every feature that keeps personal data about a customer, so the privacy feature can export and
 * erase a person without knowing the features (they must not depend on it). One bean per feature (or per part of a
 * feature); {@link #section()} names its part of the export and of the erasure report.
 * <p>
 * Erasure runs the holders in {@link #erasureOrder()} (lowest first): journeys stop first, then messaging cancels
 * queued messages, then the rest, and the profile itself last, so no step can send or re-create anything. Every
 * {@code erase} must be idempotent (a second call finds nothing and reports zeros) and must keep aggregates: amounts,
 * dates and counts stay under the customer id, which after erasure maps to no person.
 */
public interface PersonalDataHolder {

    /** The JSON property name of this feature's part in the export and the erasure report. */
    String section();

    /** Everything this feature holds about the customer, as JSON-serialisable objects (may be empty). */
    Object export(String customerId);

    /** Deletes or anonymises the customer's personal data held by this feature. */
    ErasureResult erase(ErasureContext context);

    /** Lower runs earlier; the profile (customer feature) runs last with {@link Integer#MAX_VALUE}. */
    default int erasureOrder() {
        return 100;
    }
}
