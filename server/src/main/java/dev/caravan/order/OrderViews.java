package dev.caravan.order;

import java.util.List;
import java.util.Map;

import dev.caravan.customer.CustomerViewSection;
import dev.caravan.customer.TimelineEntry;
import dev.caravan.customer.TimelineSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/** The orders and returns sections of the customer 360 view, and their timeline entries. */
@Configuration(proxyBeanMethods = false)
class OrderViews {

    static final int VIEW_LIMIT = 100;

    /** A section listing the newest records with the total count, so the UI can say "100 of 240". */
    public record Section<T>(long total, List<T> items) {
    }

    @Bean
    CustomerViewSection ordersSection(MongoTemplate mongo) {
        return section("orders", mongo, Order.class, "placedAt");
    }

    @Bean
    CustomerViewSection returnsSection(MongoTemplate mongo) {
        return section("returns", mongo, ReturnRecord.class, "at");
    }

    private static <T> CustomerViewSection section(String name, MongoTemplate mongo, Class<T> type, String timeField) {
        return new CustomerViewSection() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Object forCustomer(String customerId) {
                Query q = Query.query(Criteria.where("customerId").is(customerId));
                long total = mongo.count(q, type);
                List<T> items = mongo.find(q.with(Sort.by(Sort.Direction.DESC, timeField)).limit(VIEW_LIMIT), type);
                return new Section<>(total, items);
            }
        };
    }

    @Bean
    TimelineSource orderTimeline(MongoTemplate mongo) {
        return (customerId, before, limit) -> {
            List<TimelineEntry> orders = mongo.find(TimelineSource.newestBefore(customerId, "placedAt", before, limit), Order.class)
                    .stream().map(OrderViews::entry).toList();
            List<TimelineEntry> returns = mongo.find(TimelineSource.newestBefore(customerId, "at", before, limit), ReturnRecord.class)
                    .stream().map(OrderViews::entry).toList();
            return java.util.stream.Stream.concat(orders.stream(), returns.stream()).toList();
        };
    }

    private static TimelineEntry entry(Order o) {
        return new TimelineEntry(o.placedAt(), "order",
                "Order " + o.externalId() + " on " + o.platform() + ": " + o.total() + " " + o.currency()
                        + " (" + o.status() + ")", o.id(),
                Map.of("platform", o.platform(), "status", o.status(), "lines", o.lines() == null ? 0 : o.lines().size()));
    }

    private static TimelineEntry entry(ReturnRecord r) {
        return new TimelineEntry(r.at(), r.kind(),
                capitalise(r.kind()) + (r.orderId() == null ? "" : " of order " + r.orderId()) + ": "
                        + r.amount() + " " + r.currency(), r.id(), Map.of("platform", r.platform()));
    }

    private static String capitalise(String s) {
        return s == null || s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
