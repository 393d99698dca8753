package dev.caravan.segment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Folds queued behaviour events and new orders into a {@link BehaviourSummary}; pure and idempotent. */
final class BehaviourFolder {

    /** The SKUs and categories of one order. */
    record OrderItems(String key, Instant at, Collection<String> skus, Collection<String> categories) {
    }

    private BehaviourFolder() {
    }

    static BehaviourSummary fold(BehaviourSummary s, List<PendingEvent> events, List<OrderItems> orders,
                                 SegmentProperties props, Instant now) {
        Instant horizon = now.minus(Duration.ofDays(props.behaviourDays()));
        Map<String, BehaviourSummary.Entry> entries = new LinkedHashMap<>();
        s.entries().forEach(e -> entries.put(e.id(), e));
        Map<String, BehaviourSummary.Last> last = new LinkedHashMap<>();
        s.last().forEach(l -> last.put(key(l.t(), l.f(), l.k()), l));
        Set<String> folded = new LinkedHashSet<>(s.orders());
        for (PendingEvent e : events) {
            if (e.id() == null || e.t() == null || e.at() == null) continue;
            entries.putIfAbsent(e.id(), new BehaviourSummary.Entry(e.id(), e.t(), e.at(), e.c()));
            max(last, e.t(), "event", "", e.at());
            if (e.c() != null) max(last, e.t(), "category", e.c(), e.at());
            if (e.sku() != null) max(last, e.t(), "sku", e.sku(), e.at());
        }
        for (OrderItems o : orders) {
            if (!folded.add(o.key()) || o.at() == null) continue;
            String t = SegmentField.ORDER_PLACED;
            max(last, t, "event", "", o.at());
            o.skus().forEach(sku -> max(last, t, "sku", sku, o.at()));
            o.categories().forEach(c -> max(last, t, "category", c, o.at()));
        }
        List<BehaviourSummary.Entry> keptEntries = new ArrayList<>(entries.values().stream()
                .filter(e -> !e.at().isBefore(horizon)).toList());
        keptEntries.sort(Comparator.comparing(BehaviourSummary.Entry::at).reversed().thenComparing(BehaviourSummary.Entry::id));
        if (keptEntries.size() > props.maxEntries()) keptEntries = keptEntries.subList(0, props.maxEntries());
        List<BehaviourSummary.Last> keptLast = new ArrayList<>(last.values());
        if (keptLast.size() > props.maxKeys()) {
            // event-type times always stay; the oldest categories and SKUs go first
            keptLast.sort(Comparator.comparing((BehaviourSummary.Last l) -> !l.f().equals("event"))
                    .thenComparing(BehaviourSummary.Last::at, Comparator.reverseOrder()));
            keptLast = keptLast.subList(0, props.maxKeys());
        }
        return new BehaviourSummary(s.customerId(), List.copyOf(keptEntries), List.copyOf(keptLast),
                List.copyOf(folded), now);
    }

    /** The union of two customers' summaries (merge): the absorbed one's facts move to the survivor. */
    static BehaviourSummary merge(BehaviourSummary survivor, BehaviourSummary absorbed, SegmentProperties props, Instant now) {
        List<PendingEvent> events = absorbed.entries().stream()
                .map(e -> new PendingEvent(e.id(), e.t(), e.at(), null, e.c())).toList();
        BehaviourSummary withEntries = fold(survivor, events, List.of(), props, now);
        Map<String, BehaviourSummary.Last> last = new LinkedHashMap<>();
        withEntries.last().forEach(l -> last.put(key(l.t(), l.f(), l.k()), l));
        absorbed.last().forEach(l -> max(last, l.t(), l.f(), l.k(), l.at()));
        Set<String> orders = new LinkedHashSet<>(withEntries.orders());
        orders.addAll(absorbed.orders());
        return new BehaviourSummary(survivor.customerId(), withEntries.entries(), List.copyOf(last.values()),
                List.copyOf(orders), now);
    }

    private static void max(Map<String, BehaviourSummary.Last> last, String t, String f, String k, Instant at) {
        String key = key(t, f, k);
        BehaviourSummary.Last l = last.get(key);
        if (l == null || l.at().isBefore(at)) last.put(key, new BehaviourSummary.Last(t, f, k, at));
    }

    static String key(String t, String f, String k) {
        return t + "\u0000" + f + "\u0000" + k.toLowerCase(java.util.Locale.ROOT);
    }
}
