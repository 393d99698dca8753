package dev.caravan.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.customer.Consent;
import dev.caravan.customer.Customer;
import dev.caravan.order.Purchase;
import dev.caravan.order.PurchaseHistory;

/** The customer facts journeys see as process variables (documented in docs/WORKFLOWS.md). */
final class JourneyFacts {

    private JourneyFacts() {
    }

    static Map<String, Object> of(Customer c, PurchaseHistory history, Instant startedAt, Instant now) {
        Map<String, Object> v = new LinkedHashMap<>();
        if (c == null) return v;
        v.put("customerId", c.getId());
        put(v, "tier", c.getTier());
        put(v, "level", c.getLevel());
        put(v, "country", c.getCountry());
        put(v, "language", c.getLanguage() == null ? "en" : c.getLanguage());
        put(v, "lifecycle", c.getLifecycle());
        v.put("channel", PaletteHandlers.SendMessage.preferredChannel(c, "marketing"));
        v.put("emailConsent", granted(c, "email") && !c.getEmails().isEmpty());
        v.put("smsConsent", (granted(c, "sms") || granted(c, "whatsapp")) && !c.getPhones().isEmpty());
        List<Purchase> counted = history == null ? List.of() : history.counted();
        v.put("orderCount", counted.size());
        if (startedAt != null) {
            v.put("ordersSinceStart", (int) counted.stream().filter(p -> p.placedAt().isAfter(startedAt)).count());
        }
        if (!counted.isEmpty()) {
            Instant last = counted.get(counted.size() - 1).placedAt();
            v.put("daysSinceLastOrder", (int) Math.max(0, Duration.between(last, now).toDays()));
        }
        Integer cycle = cycleDays(counted, c, now);
        if (cycle != null) v.put("cycleDays", cycle);
        return v;
    }

    /** The customer's purchase rhythm in days: median gap between orders, else days to the predicted next order. */
    static Integer cycleDays(List<Purchase> counted, Customer c, Instant now) {
        if (counted.size() >= 2) {
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < counted.size(); i++) {
                gaps.add(Duration.between(counted.get(i - 1).placedAt(), counted.get(i).placedAt()).toDays());
            }
            Collections.sort(gaps);
            long median = gaps.get(gaps.size() / 2);
            if (median >= 1) return (int) Math.min(median, 365);
        }
        if (c.getPredictions() != null && c.getPredictions().nextOrderAt() != null) {
            long days = Duration.between(now, c.getPredictions().nextOrderAt()).toDays();
            if (days >= 1) return (int) Math.min(days, 365);
        }
        return null;
    }

    private static boolean granted(Customer c, String channel) {
        Consent consent = c.getConsents().get(channel);
        return consent != null && consent.granted();
    }

    private static void put(Map<String, Object> v, String key, Object value) {
        if (value != null) v.put(key, value);
    }
}
