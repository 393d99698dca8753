package dev.caravan.loyalty.coupon;

import dev.caravan.customer.Customer;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/** Segment eligibility of coupon definitions from the segments feature's membership document (a primary-key read). */
@Component
class SegmentMembers implements SegmentMembership {

    private final MongoTemplate mongo;

    SegmentMembers(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public boolean isMember(String segmentId, Customer customer) {
        dev.caravan.segment.SegmentMembership m = mongo.findById(customer.getId(), dev.caravan.segment.SegmentMembership.class);
        return m != null && m.segments().stream().anyMatch(s -> s.id().equals(segmentId));
    }
}
