package dev.caravan.workflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.caravan.activity.ActivitiesRecorded;
import dev.caravan.activity.ActivityRecorded;
import dev.caravan.customer.CustomersChanged;
import dev.caravan.order.OrderEvent;
import dev.caravan.order.OrderPlaced;
import dev.caravan.order.OrderRefunded;
import dev.caravan.order.OrderStatusChanged;
import dev.caravan.order.OrdersRecorded;
import dev.caravan.rules.ChurnRiskDetected;
import dev.caravan.rules.ClassificationsChanged;
import dev.caravan.rules.LifecycleChanged;
import dev.caravan.rules.MembershipChanged;
import dev.caravan.rules.RuleEvent;
import dev.caravan.rules.TagAdded;
import dev.caravan.rules.TagRemoved;
import dev.caravan.rules.TierChanged;
import dev.caravan.segment.SegmentEntered;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns domain events into journey triggers (names in docs/WORKFLOWS.md) and queues them; nothing here waits for
 * journeys. Non-live events (imported history) are ignored by {@link JourneyRuntime#enqueue}. Adding an adapter for
 * a new event is one listener method building a {@link JourneyTrigger}.
 */
@Component
class TriggerAdapters {

    /** Activity types that come from orders: their triggers come from the order events instead. */
    private static final Set<String> ORDER_TYPES = Set.of("order_placed", "order_paid", "order_shipped", "order_delivered",
            "order_cancelled", "order_refunded");

    private final JourneyRuntime runtime;
    private final WorkflowProperties props;

    TriggerAdapters(JourneyRuntime runtime, WorkflowProperties props) {
        this.runtime = runtime;
        this.props = props;
    }

    /** A batch's order events, queued with one write. */
    @EventListener
    void on(OrdersRecorded batch) {
        if (!batch.live()) return;
        List<JourneyTrigger> triggers = new ArrayList<>();
        for (OrderEvent e : batch.events()) {
            JourneyTrigger t = trigger(e);
            if (t != null) triggers.add(t);
        }
        runtime.enqueueAll(triggers);
    }

    /** A batch's activities (order activities excepted: their triggers come from the order events). */
    @EventListener
    void on(ActivitiesRecorded batch) {
        if (!batch.live()) return;
        List<JourneyTrigger> triggers = new ArrayList<>();
        for (ActivityRecorded e : batch.activities()) {
            if (e.customerId() == null || ORDER_TYPES.contains(e.type())) continue;
            Map<String, Object> p = new LinkedHashMap<>();
            if (e.properties() != null) {
                e.properties().forEach((k, v) -> { if (v instanceof String || v instanceof Number || v instanceof Boolean) p.put(k, v); });
            }
            triggers.add(new JourneyTrigger("activity:" + e.eventId(), e.customerId(), e.type(), p, e.occurredAt(), e.live()));
        }
        runtime.enqueueAll(triggers);
    }

    private static JourneyTrigger trigger(OrderEvent event) {
        if (event.customerId() == null) return null;
        if (event instanceof OrderPlaced e) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("orderKey", e.orderKey());
            if (e.totalBase() != null) p.put("totalBase", e.totalBase().toPlainString());
            p.put("platform", e.platform());
            return new JourneyTrigger("order:" + e.orderKey(), e.customerId(), "order_placed", p, e.placedAt(), e.live());
        }
        if (event instanceof OrderStatusChanged e) {
            if (e.to() == null) return null;
            return new JourneyTrigger("status:" + e.orderKey() + ":" + e.to(), e.customerId(), "order_" + e.to(),
                    Map.of("orderKey", e.orderKey(), "from", String.valueOf(e.from()), "to", e.to()), e.at(), e.live());
        }
        OrderRefunded e = (OrderRefunded) event;
        return new JourneyTrigger("refund:" + e.returnKey(), e.customerId(), "order_refunded",
                Map.of("orderKey", String.valueOf(e.orderKey()), "kind", String.valueOf(e.kind())), e.at(), e.live());
    }

    @EventListener
    void on(CustomersChanged e) {
        if (!e.live() || e.customerIds().size() > 100) return; // bulk changes are not behaviour
        for (String id : e.customerIds()) {
            runtime.enqueue(new JourneyTrigger(null, id, "customer_changed", Map.of("cause", String.valueOf(e.cause())), null, true));
        }
    }

    // The rules feature's classification events. Rules decide once per change, so the trigger id is the
    // customer, the event kind, the new value and the time of the decision.

    @EventListener
    void on(ClassificationsChanged batch) {
        List<JourneyTrigger> triggers = new ArrayList<>();
        for (RuleEvent e : batch.events()) triggers.add(trigger(e));
        runtime.enqueueAll(triggers);
    }

    private JourneyTrigger trigger(RuleEvent event) {
        if (event instanceof TierChanged e) {
            return rulesTrigger(e.customerId(), "tier_changed", e.to(), e.at(), e.live(),
                    change(e.from(), e.to(), e.file(), e.rule()));
        }
        if (event instanceof MembershipChanged e) {
            Map<String, Object> p = change(e.from(), e.to(), e.file(), e.rule());
            p.put("upward", membershipUpward(e.from(), e.to()));
            return rulesTrigger(e.customerId(), "membership_changed", e.to(), e.at(), e.live(), p);
        }
        if (event instanceof LifecycleChanged e) {
            return rulesTrigger(e.customerId(), "lifecycle_changed", e.to(), e.at(), e.live(),
                    change(e.from(), e.to(), e.file(), e.rule()));
        }
        if (event instanceof ChurnRiskDetected e) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("reason", String.valueOf(e.reason()));
            p.put("rule", e.file() + ":" + e.rule());
            return rulesTrigger(e.customerId(), "churn_risk_detected", e.reason(), e.at(), e.live(), p);
        }
        if (event instanceof TagAdded e) {
            return rulesTrigger(e.customerId(), "tag_added", e.tag(), e.at(), e.live(),
                    new LinkedHashMap<>(Map.of("tag", e.tag(), "rule", e.file() + ":" + e.rule())));
        }
        TagRemoved e = (TagRemoved) event;
        return rulesTrigger(e.customerId(), "tag_removed", e.tag(), e.at(), e.live(),
                new LinkedHashMap<>(Map.of("tag", e.tag(), "rule", e.file() + ":" + e.rule())));
    }

    // The segments feature: a customer entered a segment (live only when their own change caused it).

    @EventListener
    void on(SegmentEntered e) {
        runtime.enqueue(rulesTrigger(e.customerId(), "segment_entered", e.segmentId(), e.at(), e.live(),
                new LinkedHashMap<>(Map.of("segment", e.segmentId()))));
    }

    private static JourneyTrigger rulesTrigger(String customerId, String type, String value, java.time.Instant at,
                                               boolean live, Map<String, Object> payload) {
        String id = type + ":" + customerId + ":" + value + ":" + (at == null ? "" : at.toEpochMilli());
        return new JourneyTrigger(id, customerId, type, payload, at, live);
    }

    private static Map<String, Object> change(String from, String to, String file, String rule) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("from", String.valueOf(from));
        p.put("to", String.valueOf(to));
        p.put("rule", file + ":" + rule);
        return p;
    }

    /** For the rules adapters: does a membership move from {@code from} to {@code to} go up the configured ladder? */
    boolean membershipUpward(String from, String to) {
        List<String> order = props.membershipOrder();
        int a = from == null ? 0 : order.indexOf(from.toLowerCase());
        int b = to == null ? -1 : order.indexOf(to.toLowerCase());
        return b > a;
    }
}
