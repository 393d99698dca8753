package dev.caravan.loyalty.coupon;

import dev.caravan.customer.Customer;

/**
 * Whether a customer belongs to a segment, for coupon definitions limited to {@code eligibleSegments}. The segments
 * feature (issue 10) provides the real one; until then {@link TagSegments} treats a segment id as a customer tag.
 */
public interface SegmentMembership {

    boolean isMember(String segmentId, Customer customer);

    /** The stand-in: a segment is the customers carrying the tag of the same id. */
    class TagSegments implements SegmentMembership {
        @Override
        public boolean isMember(String segmentId, Customer customer) {
            return customer.getTags().contains(segmentId);
        }
    }
}
