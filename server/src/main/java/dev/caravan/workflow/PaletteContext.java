package dev.caravan.workflow;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import dev.caravan.customer.Customer;
import dev.caravan.order.Order;

/**
 * What palette steps need from their surroundings. The live runtime sends, issues and schedules for real; the
 * dry-run's simulation only records what would happen, on a virtual clock.
 */
interface PaletteContext {

    /** The step being executed: which instance, journey version, customer and BPMN node. */
    record StepRef(String instanceId, String processId, String customerId, String nodeId, String nodeName,
                   String workItemId) {

        String idempotencyKey() {
            return customerId + ":" + instanceId + ":" + nodeId;
        }

        JourneyId journey() {
            return JourneyId.parse(processId);
        }
    }

    Instant now();

    /** The customer an instance belongs to now (merges move instances), given the id in its variables. */
    String customerOf(String instanceId, String variableCustomerId);

    Customer customer(String customerId);

    /** Fresh customer facts for the process variables (start and checkpoints). */
    Map<String, Object> facts(String customerId, String instanceId);

    JourneyMessenger.SendResult send(StepRef step, JourneyMessenger.MessageRequest request);

    /** The language the message will be written in ({@link JourneyMessenger#templateLanguage}). */
    String templateLanguage(String template, String channel, String language);

    CouponIssuer.Coupon coupon(StepRef step, CouponIssuer.CouponRequest request);

    /** A coupon issued earlier (by an IssueCoupon step), for the messages that carry it. */
    Optional<CouponIssuer.Coupon> findCoupon(String code);

    /** An order by its key ({@code platform/store/orderId}), for the messages about it; null when unknown. */
    Order findOrder(String orderKey);

    /** The shop's base currency: the currency of coupon amounts. */
    String baseCurrency();

    void tag(StepRef step, String tag, boolean add);

    void scheduleWait(StepRef step, Instant fireAt);

    void cancelWait(String workItemId);

    /** Extra details of a step for its history (send decision, coupon code, A/B variant...). */
    void detail(StepRef step, Map<String, Object> detail);

    void goal(StepRef step, String goal);

    Random random();

    HolidayCalendar holidays();

    WorkflowProperties properties();
}
