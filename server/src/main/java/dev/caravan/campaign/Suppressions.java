package dev.caravan.campaign;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.caravan.common.store.ByIds;
import dev.caravan.customer.Customer;
import dev.caravan.segment.SegmentService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/** Who a campaign leaves out: members of excluded segments, recent buyers, customers in a running journey. */
@Component
class Suppressions {

    /** Customer id to reason ({@code segment:<id>}, {@code recent_buyer}, {@code in_journey}). */
    record Result(Map<String, String> reasons) {
    }

    private final MongoTemplate mongo;
    private final SegmentService segments;
    private final ObjectProvider<JourneyParticipation> journeys;

    Suppressions(MongoTemplate mongo, SegmentService segments, ObjectProvider<JourneyParticipation> journeys) {
        this.mongo = mongo;
        this.segments = segments;
        this.journeys = journeys;
    }

    Result apply(Campaign c, List<String> ids, Instant now) {
        Map<String, String> reasons = new LinkedHashMap<>();
        for (String seg : c.excludeSegments) {
            Set<String> members = new HashSet<>(segments.audience(seg));
            for (String id : ids) {
                if (members.contains(id)) reasons.putIfAbsent(id, "segment:" + seg);
            }
        }
        if (c.recentBuyersDays != null) {
            for (Customer cust : ByIds.find(mongo, ids, Customer.class, null,
                    q -> q.fields().include("metrics"))) {
                if (recentBuyer(c, cust, now)) reasons.putIfAbsent(cust.getId(), "recent_buyer");
            }
        }
        if (c.excludeInJourney) {
            JourneyParticipation port = journeys.getIfAvailable();
            if (port != null) port.inJourney(ids).forEach(id -> reasons.putIfAbsent(id, "in_journey"));
        }
        return new Result(reasons);
    }

    /** Checked again at send time: someone who ordered since the launch is left out too. */
    static boolean recentBuyer(Campaign c, Customer cust, Instant now) {
        Instant last = cust.getMetrics().lastOrderAt();
        return c.recentBuyersDays != null && last != null && !last.isBefore(now.minus(Duration.ofDays(c.recentBuyersDays)));
    }
}
