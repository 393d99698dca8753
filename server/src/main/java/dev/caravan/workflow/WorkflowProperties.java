package dev.caravan.workflow;

import java.time.Duration;
import java.time.LocalTime;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Journey engine settings ({@code caravan.workflows.*}); every value has a default.
 *
 * @param enabled           run the poller that fires due timers and processes queued triggers
 * @param pollInterval      how often the poller looks for due work (timers, waits, triggers)
 * @param lease             how long a server owns claimed work before another server may take it over
 * @param batchSize         work items claimed per poll
 * @param workers           threads firing claimed work in parallel (instances of one customer never run in parallel)
 * @param cooldown          default re-entry cool-down: a customer may enter a journey again this long after leaving it
 * @param cooldowns         per-journey cool-downs (journey id → duration), overriding {@code cooldown}
 * @param quietStart        start of the quiet hours in the customer's local time (waits without a fixed time end after)
 * @param quietEnd          end of the quiet hours
 * @param scanCron          when the daily birthday and holiday scans run
 * @param membershipOrder   membership levels from lowest to highest, to tell an upward move
 * @param defaultsLocation  where the shipped journeys and holiday calendar are read from (classpath or file URL)
 */
@ConfigurationProperties("caravan.workflows")
public record WorkflowProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("PT1S") Duration pollInterval,
        @DefaultValue("PT5M") Duration lease,
        @DefaultValue("500") int batchSize,
        @DefaultValue("4") int workers,
        @DefaultValue("P30D") Duration cooldown,
        @DefaultValue({}) Map<String, Duration> cooldowns,
        @DefaultValue("21:00") LocalTime quietStart,
        @DefaultValue("08:00") LocalTime quietEnd,
        @DefaultValue("0 5 * * * *") String scanCron,
        @DefaultValue("none,silver,gold,diamond") java.util.List<String> membershipOrder,
        @DefaultValue("classpath:workflows/") String defaultsLocation) {

    /** Shipped defaults: journeys a customer enters once in a lifetime, or repeatedly. */
    static final Map<String, Duration> SHIPPED_COOLDOWNS = Map.of(
            "welcome", Duration.ofDays(3650),
            "abandoned-cart", Duration.ofHours(24),
            "win-back", Duration.ofDays(90),
            "holiday", Duration.ZERO,
            "repurchase", Duration.ZERO,
            "birthday", Duration.ofDays(300),
            "vip-upgrade", Duration.ofDays(30),
            "review-request", Duration.ZERO,
            "complaint-follow-up", Duration.ofDays(1));

    public Duration cooldownOf(String journeyId) {
        Duration d = cooldowns == null ? null : cooldowns.get(journeyId);
        if (d != null) return d;
        return SHIPPED_COOLDOWNS.getOrDefault(journeyId, cooldown);
    }
}
