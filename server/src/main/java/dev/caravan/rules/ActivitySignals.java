package dev.caravan.rules;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import java.time.Instant;
import java.util.List;

import org.springframework.data.mongodb.core.mapping.Document;

/**
 * Interaction counters of one customer, keyed by customer id and maintained from {@code ActivityRecorded} events,
 * because reading {@code interactions} by customer is a full scan on the embedded store. Ids are kept (not just
 * counts) so a replayed event changes nothing.
 */
@Document("rule_signals")
public record ActivitySignals(@MongoId(FieldType.STRING) String customerId, List<String> complaintIds, List<OpenComplaint> openComplaints,
                              List<String> lowReviewIds, Instant lastActivityAt) {

    public record OpenComplaint(String id, Instant at) {
    }

    public static ActivitySignals none(String customerId) {
        return new ActivitySignals(customerId, List.of(), List.of(), List.of(), null);
    }

    public List<String> complaintIds() { return complaintIds == null ? List.of() : complaintIds; }
    public List<OpenComplaint> openComplaints() { return openComplaints == null ? List.of() : openComplaints; }
    public List<String> lowReviewIds() { return lowReviewIds == null ? List.of() : lowReviewIds; }
}
