package dev.caravan.segment;

import java.time.Instant;

/** Domain event: a customer no longer matches a segment. {@code live} as for {@link SegmentEntered}. */
public record SegmentLeft(String customerId, String segmentId, Instant at, boolean live) {
}
