package dev.caravan.rules;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Domain event: the classification events of one evaluated batch of customers, in order, published once after their
 * individual events. For consumers that queue or write per batch instead of once per change.
 */
public record ClassificationsChanged(List<RuleEvent> events, boolean live) {

    public ClassificationsChanged {
        events = List.copyOf(events);
    }

    /** The customers whose tier, lifecycle, level or tags changed (churn risks alone excluded). */
    public Set<String> reclassified() {
        Set<String> ids = new LinkedHashSet<>();
        for (RuleEvent e : events) {
            if (!(e instanceof ChurnRiskDetected)) ids.add(e.customerId());
        }
        return ids;
    }
}
