package dev.caravan.customer;

/** Domain event: a merge was undone and {@code restoredId} exists again beside {@code survivorId}. */
public record CustomerUnmerged(String survivorId, String restoredId, String mergeId) {
}
