package dev.caravan.integrations.marketplace;

/**
 * A record of a page that could not be read (malformed or unusable): it is logged, counted and skipped while
 * the sync goes on. {@code reference} identifies it without personal data (order id or position in the page).
 */
public record SkippedRecord(String reference, String reason) {
}
