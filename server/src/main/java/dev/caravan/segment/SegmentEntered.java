package dev.caravan.segment;

import java.time.Instant;

/**
 * Domain event: a customer now matches a segment. Journeys start on it ({@code live} only: false when the entry comes
 * from imported history or from filling a new or edited segment).
 */
public record SegmentEntered(String customerId, String segmentId, Instant at, boolean live) {
}
