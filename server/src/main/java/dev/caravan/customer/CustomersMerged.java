package dev.caravan.customer;

/** Domain event: {@code absorbedId} no longer exists; its identities and records now belong to {@code survivorId}. */
public record CustomersMerged(String survivorId, String absorbedId, String mergeId) {
}
