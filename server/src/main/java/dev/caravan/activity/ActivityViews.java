package dev.caravan.activity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.caravan.customer.CustomerViewSection;
import dev.caravan.customer.TimelineEntry;
import dev.caravan.customer.TimelineSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/** The interactions section of the customer 360 view, and behaviour and interactions on the timeline. */
@Configuration(proxyBeanMethods = false)
class ActivityViews {

    /** Event types whose history the order and interaction collections already show on the timeline. */
    static final Set<String> SHOWN_ELSEWHERE = Set.of("order_placed", "order_shipped", "order_delivered",
            "order_cancelled", "order_refunded", Interaction.INQUIRY, Interaction.MESSAGE, Interaction.COMPLAINT,
            Interaction.REVIEW);

    public record InteractionSection(long total, long openComplaints, List<Interaction> items) {
    }

    @Bean
    CustomerViewSection interactionsSection(MongoTemplate mongo) {
        return new CustomerViewSection() {
            @Override
            public String name() {
                return "interactions";
            }

            @Override
            public Object forCustomer(String customerId) {
                Query all = Query.query(Criteria.where("customerId").is(customerId));
                long total = mongo.count(all, Interaction.class);
                long open = mongo.count(Query.query(Criteria.where("customerId").is(customerId)
                        .and("kind").is(Interaction.COMPLAINT).and("resolved").is(false)), Interaction.class);
                List<Interaction> items = mongo.find(Query.query(Criteria.where("customerId").is(customerId))
                        .with(Sort.by(Sort.Direction.DESC, "occurredAt")).limit(100), Interaction.class);
                return new InteractionSection(total, open, items);
            }
        };
    }

    @Bean
    TimelineSource activityTimeline(MongoTemplate mongo) {
        return (customerId, before, limit) -> {
            Query events = TimelineSource.newestBefore(customerId, "occurredAt", before, limit);
            events.addCriteria(Criteria.where("type").nin(SHOWN_ELSEWHERE));
            Stream<TimelineEntry> behaviour = mongo.find(events, BehaviourEvent.class).stream()
                    .map(e -> new TimelineEntry(e.occurredAt(), e.type(), describe(e), e.id(),
                            e.properties() == null ? Map.of() : e.properties()));
            Stream<TimelineEntry> interactions = mongo.find(TimelineSource.newestBefore(customerId, "occurredAt", before, limit),
                    Interaction.class).stream().map(ActivityViews::entry);
            return Stream.concat(behaviour, interactions).toList();
        };
    }

    private static String describe(BehaviourEvent e) {
        Object sku = e.properties() == null ? null : e.properties().get("sku");
        String what = e.type().replace('_', ' ');
        return Character.toUpperCase(what.charAt(0)) + what.substring(1) + (sku == null ? "" : " " + sku);
    }

    private static TimelineEntry entry(Interaction i) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (i.rating() != null) details.put("rating", i.rating());
        if (i.orderId() != null) details.put("orderId", i.orderId());
        if (i.sku() != null) details.put("sku", i.sku());
        details.put("resolved", i.resolved());
        String text = i.text() == null ? "" : i.text();
        String summary = Character.toUpperCase(i.kind().charAt(0)) + i.kind().substring(1)
                + (i.rating() == null ? "" : " (" + i.rating() + "/5)") + (text.isEmpty() ? "" : ": " + abbreviate(text));
        return new TimelineEntry(i.occurredAt(), i.kind(), summary, i.id(), details);
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
