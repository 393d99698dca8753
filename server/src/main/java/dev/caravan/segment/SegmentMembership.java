package dev.caravan.segment;

import java.time.Instant;
import java.util.List;

import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * The segments one customer is in, keyed by customer id: the membership worker reads and writes it by primary key.
 * Member lists of a segment query {@code segments.id} (indexed on real MongoDB; a scan on the embedded store, for
 * back-office paging and exports only).
 */
@Document("segment_memberships")
@CompoundIndex(name = "segment_members", def = "{'segments.id': 1, '_id': 1}")
public record SegmentMembership(@MongoId(FieldType.STRING) String customerId, List<Member> segments) {

    public SegmentMembership {
        segments = segments == null ? List.of() : segments;
    }

    /** Membership of one segment, since when. */
    public record Member(String id, Instant since) {
    }
}
