package dev.caravan.customer;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Model predictions stored on the profile by the analytics feature and read by rules, segments and journeys.
 * All fields may be null (no model fitted yet, or the customer has no purchases).
 *
 * @param pAlive             probability the customer is still active (BG/NBD)
 * @param expectedPurchases  expected purchases within {@code horizonDays}
 * @param horizonDays        the horizon of {@code expectedPurchases} and {@code clv}
 * @param expectedOrderValue expected average order value in the base currency (Gamma-Gamma)
 * @param clv                predicted customer lifetime value over the horizon, base currency, discounted
 * @param nextOrderAt        estimated date of the next order (for repurchase reminders)
 * @param bestSendHour       the customer's most frequent order/open hour in their local time (0–23)
 * @param model              id of the fitted model that produced these numbers
 */
public record Predictions(Double pAlive, Double expectedPurchases, Integer horizonDays, BigDecimal expectedOrderValue,
                          BigDecimal clv, Instant nextOrderAt, Integer bestSendHour, String model, Instant computedAt) {
}
