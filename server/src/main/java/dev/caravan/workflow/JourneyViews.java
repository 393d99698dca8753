package dev.caravan.workflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.customer.CustomerRecords;
import dev.caravan.customer.CustomerViewSection;
import dev.caravan.customer.TimelineEntry;
import dev.caravan.customer.TimelineSource;
import org.bson.Document;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Journeys in the customer 360 view and timeline, and journey records following customer merges. */
@Configuration(proxyBeanMethods = false)
class JourneyViews {

    @Bean
    JourneyQueries journeyQueries(JourneyRuntime runtime) {
        return new JourneyQueries(runtime.mongo, runtime.participations);
    }

    @Bean
    CustomerViewSection journeysSection(JourneyQueries queries) {
        return new CustomerViewSection() {
            @Override
            public String name() {
                return "journeys";
            }

            @Override
            public Object forCustomer(String customerId) {
                List<Map<String, Object>> all = queries.ofCustomer(customerId);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("running", all.stream().filter(j -> InstanceStore.ACTIVE.equals(j.get("status"))).toList());
                m.put("recent", all.stream().filter(j -> !InstanceStore.ACTIVE.equals(j.get("status"))).limit(10).toList());
                m.put("total", all.size());
                return m;
            }
        };
    }

    @Bean
    TimelineSource journeysTimeline(JourneyQueries queries) {
        return (customerId, before, limit) -> {
            List<TimelineEntry> out = new ArrayList<>();
            for (Map<String, Object> j : queries.ofCustomer(customerId)) {
                String journey = (String) j.get("journeyId");
                String instanceId = (String) j.get("instanceId");
                for (Object o : (List<?>) j.get("steps")) {
                    Document s = (Document) o;
                    String kind = s.getString("kind");
                    Instant at = s.getDate("at").toInstant();
                    if (before != null && !at.isBefore(before)) continue;
                    Document detail = s.get("detail", Document.class);
                    String summary;
                    if ("start".equals(kind)) summary = "Entered journey " + journey + " (" + s.getString("name") + ")";
                    else if ("end".equals(kind)) summary = "Left journey " + journey + " (" + s.getString("name") + ")";
                    else if (Palette.SEND_MESSAGE.equals(kind) && detail != null) {
                        summary = (Boolean.TRUE.equals(detail.getBoolean("sent")) ? "Journey message " : "Journey message not sent ")
                                + detail.getString("template") + (detail.getString("reason") == null ? "" : ": " + detail.getString("reason"));
                    } else if (Palette.ISSUE_COUPON.equals(kind) && detail != null) {
                        summary = "Journey coupon " + detail.getString("couponCode") + " (" + detail.getString("value") + ")";
                    } else if (Palette.GOAL.equals(kind)) summary = "Journey goal reached: " + s.getString("name");
                    else continue;
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("journeyId", journey);
                    details.put("step", s.getString("nodeId"));
                    if (detail != null) details.putAll(detail);
                    out.add(new TimelineEntry(at, "journey", summary, instanceId, details));
                }
            }
            out.sort((a, b) -> b.at().compareTo(a.at()));
            return out.size() > limit ? out.subList(0, limit) : out;
        };
    }

    /**
     * On merge the absorbed customer's journeys move to the survivor; where both ran the same journey, the
     * absorbed customer's instance is cancelled. Unmerge leaves journeys with the survivor (instances carry no
     * identity key to split them by).
     */
    @Bean
    CustomerRecords journeyRecords(JourneyRuntime runtime) {
        return new CustomerRecords() {
            @Override
            public void reassign(String fromCustomerId, String toCustomerId) {
                List<String> moving = runtime.participations.instances(fromCustomerId);
                if (moving.isEmpty() && runtime.participations.get(fromCustomerId) == null) return;
                List<String> collisions = runtime.participations.moveAll(fromCustomerId, toCustomerId);
                runtime.instances.reassign(moving, toCustomerId);
                runtime.mongo.getCollection(WorkStore.COLLECTION).updateMany(new Document("customerId", fromCustomerId),
                        new Document("$set", new Document("customerId", toCustomerId)));
                for (String id : collisions) runtime.cancel(id, "merged into customer " + toCustomerId);
            }

            @Override
            public void reassignByIdentity(String fromCustomerId, java.util.Collection<String> identityKeys, String toCustomerId) {
                // journeys stay with the survivor
            }
        };
    }

    static Date date(Instant i) {
        return i == null ? null : Date.from(i);
    }
}
