package dev.caravan.rules;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.caravan.customer.Customer;
import dev.caravan.customer.CustomerMetrics;
import dev.caravan.customer.Predictions;
import dev.caravan.order.Purchase;
import dev.caravan.order.PurchaseHistory;

/** Builds the flat customer fact from the profile, its purchase history, interaction counters and the population. */
final class FactBuilder {

    private static final long DAY = 86_400L;

    private FactBuilder() {
    }

    static CustomerFact build(Customer c, PurchaseHistory history, ActivitySignals signals, Population population,
                              Instant now) {
        CustomerFact f = new CustomerFact(c.getId());
        f.setCountry(c.getCountry());
        f.setTier(c.getTier());
        f.setLifecycle(c.getLifecycle());
        f.setLevel(c.getLevel());
        f.setTags(c.getTags());
        f.setDaysSinceCreated(days(c.getCreatedAt(), now));

        CustomerMetrics m = c.getMetrics();
        long nowSec = now.getEpochSecond();
        long yearAgo = nowSec - 365 * DAY;
        long twoYearsAgo = nowSec - 730 * DAY;
        long orders = 0, coupons = 0, orders12 = 0, ordersPrior = 0;
        double spend = 0, spend12 = 0;
        Instant first = null, last = null;
        Set<String> platforms = new HashSet<>(m.platforms());
        List<Purchase> purchases = history == null ? List.of() : history.purchases();
        for (Purchase p : purchases) {
            if (!p.counts()) continue;
            orders++;
            double amount = p.totalBase().doubleValue();
            spend += amount;
            if (p.couponUsed()) coupons++;
            if (p.platform() != null) platforms.add(p.platform());
            long t = p.placedAt().getEpochSecond();
            if (t > yearAgo) {
                orders12++;
                spend12 += amount;
            } else if (t > twoYearsAgo) {
                ordersPrior++;
            }
            if (first == null || p.placedAt().isBefore(first)) first = p.placedAt();
            if (last == null || p.placedAt().isAfter(last)) last = p.placedAt();
        }
        if (orders == 0 && m.orderCount() > 0) {
            // no history document (e.g. data written before histories existed): fall back to the metrics
            orders = m.orderCount();
            spend = m.totalSpend().doubleValue();
            first = m.firstOrderAt();
            last = m.lastOrderAt();
        }
        double refunds = m.refundTotal() == null ? 0 : m.refundTotal().doubleValue();
        double net = Math.max(0, spend - refunds);
        f.setOrderCount(orders);
        f.setTotalSpend(net);
        f.setAvgOrderValue(orders == 0 ? 0 : spend / orders);
        f.setSpend12m(spend12);
        f.setOrders12m(orders12);
        f.setOrdersPrior12m(ordersPrior);
        f.setDaysSinceFirstOrder(days(first, now));
        f.setDaysSinceLastOrder(days(last, now));
        f.setAvgGapDays(orders >= 2 && first != null && last != null
                ? Duration.between(first, last).toSeconds() / (double) DAY / (orders - 1) : 0);
        f.setCouponShare(orders == 0 ? 0 : (double) coupons / orders);
        f.setReturnCount(m.returnCount());
        f.setReturnRate(orders == 0 ? 0 : Math.min(1.0, (double) m.returnCount() / orders));
        f.setPlatformCount(platforms.size());

        ActivitySignals s = signals == null ? ActivitySignals.none(c.getId()) : signals;
        f.setComplaints(s.complaintIds().size());
        f.setOpenComplaints(s.openComplaints().size());
        f.setLowReviews(s.lowReviewIds().size());
        Instant oldestOpen = s.openComplaints().stream().map(ActivitySignals.OpenComplaint::at)
                .filter(java.util.Objects::nonNull).min(Instant::compareTo).orElse(null);
        f.setDaysSinceOldestOpenComplaint(s.openComplaints().isEmpty() ? -1 : Math.max(0, days(oldestOpen, now)));
        Instant lastActivity = max(s.lastActivityAt(), last);
        f.setDaysSinceLastActivity(days(lastActivity, now));

        Predictions p = c.getPredictions();
        if (p != null) {
            f.setAliveProbability(p.pAlive());
            f.setClv(decimal(p.clv()));
            f.setExpectedPurchases(p.expectedPurchases());
        }
        rank(f, last, population);
        return f;
    }

    /** Sets the RFM ranks from the population tables (customers without orders rank 0). */
    static void rank(CustomerFact f, Instant lastOrderAt, Population population) {
        if (f.getOrderCount() == 0 || lastOrderAt == null) {
            f.rank(0, 0, 0);
            return;
        }
        f.rank(population.recencyRank(epochDay(lastOrderAt)), population.frequencyRank(f.getOrderCount()),
                population.monetaryRank(f.getTotalSpend()));
    }

    static double epochDay(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC).toEpochDay();
    }

    static int days(Instant from, Instant now) {
        if (from == null) return -1;
        return (int) Math.max(0, Duration.between(from, now).toDays());
    }

    private static Instant max(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }

    private static Double decimal(BigDecimal d) {
        return d == null ? null : d.doubleValue();
    }
}
