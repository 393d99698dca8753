package dev.caravan.customer;

import java.time.Instant;
import java.util.List;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/** Contributes entries to a customer's timeline; implemented by each feature that records customer history. */
public interface TimelineSource {

    /** Up to {@code limit} entries strictly before {@code before} (null: up to now), newest first. */
    List<TimelineEntry> timeline(String customerId, Instant before, int limit);

    /** The query most sources need: one customer's records before an instant (all when null), newest first. */
    static Query newestBefore(String customerId, String timeField, Instant before, int limit) {
        Criteria c = Criteria.where("customerId").is(customerId);
        if (before != null) {
            c = c.and(timeField).lt(before);
        }
        return Query.query(c).with(Sort.by(Sort.Direction.DESC, timeField)).limit(limit);
    }
}
