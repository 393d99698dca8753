package dev.caravan.segment;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.caravan.customer.Consent;
import dev.caravan.customer.Customer;
import dev.caravan.customer.CustomerMetrics;
import dev.caravan.order.Purchase;
import dev.caravan.order.PurchaseHistory;

/**
 * What segment conditions look at for one customer: the profile (with metrics and predictions), and where a
 * condition needs them the purchase history and the behaviour summary. Derived values are computed on first use.
 */
final class SegmentFacts {

    final Customer customer;
    final PurchaseHistory history;
    final BehaviourSummary behaviour;
    final Instant now;
    private final SegmentProperties props;
    private Map<String, Instant> lastIndex;
    private Set<String> interests;

    SegmentFacts(Customer customer, PurchaseHistory history, BehaviourSummary behaviour, Instant now,
                 SegmentProperties props) {
        this.customer = customer;
        this.history = history == null ? new PurchaseHistory(customer.getId(), List.of()) : history;
        this.behaviour = behaviour == null ? BehaviourSummary.empty(customer.getId()) : behaviour;
        this.now = now;
        this.props = props;
    }

    String text(SegmentField f) {
        return switch (f) {
            case COUNTRY -> customer.getCountry();
            case LANGUAGE -> customer.getLanguage();
            case TIER -> customer.getTier();
            case LIFECYCLE -> customer.getLifecycle();
            case LEVEL -> customer.getLevel();
            default -> throw new IllegalArgumentException(f.id() + " is not a text field");
        };
    }

    Set<String> set(SegmentField f) {
        return switch (f) {
            case TAGS -> customer.getTags();
            case PLATFORM -> customer.getMetrics().platforms();
            case CONSENTS -> {
                Set<String> granted = new LinkedHashSet<>();
                for (Map.Entry<String, Consent> e : customer.getConsents().entrySet()) {
                    if (e.getValue() != null && e.getValue().granted()) granted.add(e.getKey());
                }
                yield granted;
            }
            case INTEREST -> interests();
            default -> throw new IllegalArgumentException(f.id() + " is not a set field");
        };
    }

    /** The number, or null when the customer has no value (no orders, no predictions). */
    BigDecimal number(SegmentField f) {
        CustomerMetrics m = customer.getMetrics();
        return switch (f) {
            case ORDERS -> BigDecimal.valueOf(m.orderCount());
            case SPEND -> m.totalSpend();
            case AOV -> m.orderCount() == 0 ? null : m.averageOrderValue();
            case RETURN_RATE -> m.orderCount() == 0 ? null : BigDecimal.valueOf(m.returnRate());
            case DAYS_SINCE_LAST_ORDER -> daysSince(m.lastOrderAt());
            case DAYS_SINCE_FIRST_ORDER -> daysSince(m.firstOrderAt());
            case P_ALIVE -> customer.getPredictions() == null || customer.getPredictions().pAlive() == null ? null
                    : BigDecimal.valueOf(customer.getPredictions().pAlive());
            case CLV -> customer.getPredictions() == null ? null : customer.getPredictions().clv();
            default -> throw new IllegalArgumentException(f.id() + " is not a number field");
        };
    }

    Instant date(SegmentField f) {
        return switch (f) {
            case LAST_ORDER_AT -> customer.getMetrics().lastOrderAt();
            case FIRST_ORDER_AT -> customer.getMetrics().firstOrderAt();
            case CREATED_AT -> customer.getCreatedAt();
            default -> throw new IllegalArgumentException(f.id() + " is not a date field");
        };
    }

    private BigDecimal daysSince(Instant t) {
        return t == null ? null : BigDecimal.valueOf(Math.max(0, Duration.between(t, now).toDays()));
    }

    Instant cutoff(int days) {
        return now.minus(Duration.ofDays(days));
    }

    /** Last time of an event type ({@code field} "event", key ""), or of a category or SKU within it. */
    Instant last(String type, String field, String key) {
        if (type.equals(SegmentField.ORDER_PLACED) && field.equals("event")) return customer.getMetrics().lastOrderAt();
        if (lastIndex == null) {
            lastIndex = new HashMap<>();
            behaviour.last().forEach(l -> lastIndex.put(BehaviourFolder.key(l.t(), l.f(), l.k()), l.at()));
        }
        return lastIndex.get(BehaviourFolder.key(type, field, key));
    }

    /** Every key (category or SKU) of an event type with its last time. */
    Map<String, Instant> keys(String type, String field) {
        Map<String, Instant> out = new HashMap<>();
        if (type.equals(SegmentField.ORDER_PLACED) && field.equals("category")) {
            for (Purchase p : history.counted()) {
                p.categories().forEach(c -> out.merge(c.toLowerCase(Locale.ROOT), p.placedAt(), (a, b) -> a.isAfter(b) ? a : b));
            }
            return out;
        }
        behaviour.last().stream().filter(l -> l.t().equals(type) && l.f().equals(field))
                .forEach(l -> out.merge(l.k().toLowerCase(Locale.ROOT), l.at(), (a, b) -> a.isAfter(b) ? a : b));
        return out;
    }

    long count(String type, Instant since) {
        if (type.equals(SegmentField.ORDER_PLACED)) {
            return history.counted().stream().filter(p -> !p.placedAt().isBefore(since)).count();
        }
        return behaviour.entries().stream().filter(e -> e.t().equals(type) && !e.at().isBefore(since)).count();
    }

    /**
     * Top categories by interest: a product view counts 1, an add to cart 2, an order containing the category 3, all
     * within {@code caravan.segments.interest-days}; the top {@code interest-top}, lowercase.
     */
    Set<String> interests() {
        if (interests != null) return interests;
        Instant since = cutoff(props.interestDays());
        Map<String, Integer> score = new TreeMap<>();
        for (BehaviourSummary.Entry e : behaviour.entries()) {
            if (e.c() == null || e.at().isBefore(since)) continue;
            int w = e.t().equals("product_viewed") ? 1 : e.t().equals("added_to_cart") ? 2 : 0;
            if (w > 0) score.merge(e.c().toLowerCase(Locale.ROOT), w, Integer::sum);
        }
        for (Purchase p : history.counted()) {
            if (p.placedAt().isBefore(since)) continue;
            p.categories().forEach(c -> score.merge(c.toLowerCase(Locale.ROOT), 3, Integer::sum));
        }
        interests = new LinkedHashSet<>();
        score.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(props.interestTop()).forEach(e -> interests.add(e.getKey()));
        return interests;
    }
}
