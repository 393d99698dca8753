package dev.caravan.analytics;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;

import dev.caravan.order.OrderStatus;
import dev.caravan.security.EncryptedFieldConverter;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Report inputs read from the store in bulk (customers and orders as compact rows from raw documents) and reused
 * for {@code caravan.analytics.report-cache-ttl}; every report is computed from these in Java, so the embedded
 * store's missing aggregation stages never matter.
 */
@Component
class ReportData {

    /** The fields of a customer profile the reports use. Amounts in the base currency. */
    record CustomerRow(String id, String name, String tier, List<String> tags, String lifecycle, String level,
                       String country, String currency, long orderCount, double totalSpend, Instant firstOrderAt,
                       Instant lastOrderAt, Double pAlive, Double expectedPurchases, Double clv, Instant nextOrderAt) {
    }

    /** One order that counts (not cancelled, dated, with a base amount); guest orders have no customer. */
    record OrderRow(String customerId, Instant placedAt, double totalBase, double total, String currency,
                    String platform, String country) {
    }

    private final MongoTemplate mongo;
    private final AnalyticsProperties props;
    private final Clock clock;
    private final EncryptedFieldConverter personal;
    private Cached<List<CustomerRow>> customers;
    private Cached<List<OrderRow>> orders;

    private record Cached<T>(T value, Instant at) {
    }

    ReportData(MongoTemplate mongo, AnalyticsProperties props, Clock clock, EncryptedFieldConverter personal) {
        this.personal = personal;
        this.mongo = mongo;
        this.props = props;
        this.clock = clock;
    }

    synchronized List<CustomerRow> customers() {
        customers = fresh(customers, this::readCustomers);
        return customers.value();
    }

    synchronized List<OrderRow> orders() {
        orders = fresh(orders, this::readOrders);
        return orders.value();
    }

    @org.springframework.context.event.EventListener
    void on(ClvModelFitted fitted) {
        invalidate();
    }

    /** Forgets the cached rows (after a fit, or in tests). */
    synchronized void invalidate() {
        customers = null;
        orders = null;
    }

    private <T> Cached<T> fresh(Cached<T> cached, Supplier<T> read) {
        Instant now = Instant.now();
        if (cached != null && cached.at().plus(props.reportCacheTtl()).isAfter(now)) return cached;
        return new Cached<>(read.get(), now);
    }

    private List<CustomerRow> readCustomers() {
        List<CustomerRow> out = new ArrayList<>();
        Document projection = new Document();
        for (String f : List.of("displayName", "firstName", "lastName", "tier", "tags", "lifecycle", "level", "country",
                "currency", "metrics", "predictions")) {
            projection.append(f, 1);
        }
        for (Document d : mongo.getCollection("customers").find().projection(projection).batchSize(5000)) {
            Document m = d.get("metrics", Document.class);
            Document p = d.get("predictions", Document.class);
            // names are stored encrypted (security.Encrypted): opened here, as this reads raw documents
            String name = personal.readText(d.get("displayName"), "displayName");
            if (name == null) {
                String first = personal.readText(d.get("firstName"), "firstName");
                String last = personal.readText(d.get("lastName"), "lastName");
                String joined = ((first == null ? "" : first) + " " + (last == null ? "" : last)).trim();
                name = joined.isEmpty() ? null : joined;
            }
            @SuppressWarnings("unchecked")
            List<String> tags = d.get("tags") instanceof List<?> l ? (List<String>) l : List.of();
            out.add(new CustomerRow(String.valueOf(d.get("_id")), name, d.getString("tier"), tags,
                    d.getString("lifecycle"), d.getString("level"), d.getString("country"), d.getString("currency"),
                    m == null ? 0 : number(m.get("orderCount")), m == null ? 0 : amount(m.get("totalSpend")),
                    m == null ? null : instant(m.get("firstOrderAt")), m == null ? null : instant(m.get("lastOrderAt")),
                    p == null ? null : dbl(p.get("pAlive")), p == null ? null : dbl(p.get("expectedPurchases")),
                    p == null ? null : dbl(p.get("clv")), p == null ? null : instant(p.get("nextOrderAt"))));
        }
        return out;
    }

    private List<OrderRow> readOrders() {
        List<OrderRow> out = new ArrayList<>();
        Document projection = new Document("customerId", 1).append("placedAt", 1).append("totalBase", 1)
                .append("total", 1).append("currency", 1).append("platform", 1).append("country", 1).append("status", 1);
        for (Document d : mongo.getCollection("orders").find().projection(projection).batchSize(5000)) {
            Instant at = instant(d.get("placedAt"));
            if (at == null || d.get("totalBase") == null || OrderStatus.CANCELLED.equals(d.getString("status"))) continue;
            Object customer = d.get("customerId");
            out.add(new OrderRow(customer == null ? null : String.valueOf(customer), at, amount(d.get("totalBase")),
                    d.get("total") == null ? 0 : amount(d.get("total")), d.getString("currency"),
                    d.getString("platform"), d.getString("country")));
        }
        return out;
    }

    Clock clock() {
        return clock;
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    private static double amount(Object o) {
        return o == null ? 0 : PurchaseReader.toDouble(o);
    }

    private static Double dbl(Object o) {
        return o == null ? null : PurchaseReader.toDouble(o);
    }

    private static Instant instant(Object o) {
        return o instanceof Date d ? d.toInstant() : null;
    }
}
