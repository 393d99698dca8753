package dev.caravan.loyalty;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the loyalty feature (points, benefits, coupons). Marketer-facing numbers (base earn rate, bonus
 * points, level grace days) are rule parameters ({@code rules/parameters.yaml}) and multipliers a decision table
 * ({@code rules/loyalty/earn-rates.drl.csv}); these settings are the operator's.
 *
 * @param expiryMonths         points expire this many months after the purchase (or bonus) that earned them, FIFO;
 *                             0 = never
 * @param expiringSoon         how far ahead {@code GET /customers/{id}/points} reports points as expiring soon
 * @param earnImportedHistory  award points for imported history (orders, reviews with {@code live = false});
 *                             refunds and cancellations always reverse the points an order earned
 * @param maxMultiplier        the product of earn-rate multipliers is capped to 0..this
 * @param defaultPointsPerUnit base earn rate when the rule set has no {@code loyalty-points-per-unit} parameter
 * @param maxEntries           ledger entries one customer's account may hold (the account is one document)
 * @param expiryCron           when due points expire (Spring cron, "-" disables; writes also expire due points)
 * @param birthdayCron         when birthday bonuses and gifts are given (Spring cron, "-" disables)
 * @param historyLimit         default number of ledger entries in {@code GET /customers/{id}/points}
 * @param retryInterval        how often loyalty writes that failed for an event are retried
 */
@ConfigurationProperties("caravan.loyalty")
public record LoyaltyProperties(
        @DefaultValue("12") int expiryMonths,
        @DefaultValue("30d") Duration expiringSoon,
        @DefaultValue("false") boolean earnImportedHistory,
        @DefaultValue("10") double maxMultiplier,
        @DefaultValue("1") double defaultPointsPerUnit,
        @DefaultValue("20000") int maxEntries,
        @DefaultValue("0 15 1 * * *") String expiryCron,
        @DefaultValue("0 0 6 * * *") String birthdayCron,
        @DefaultValue("50") int historyLimit,
        @DefaultValue("60s") Duration retryInterval) {
}
