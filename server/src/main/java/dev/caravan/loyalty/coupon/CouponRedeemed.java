package dev.caravan.loyalty.coupon;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Domain event: an order redeemed a code. The attribution fields say who issued the code (journey instance and step,
 * or campaign), so journeys and campaigns credit the order's revenue ({@code totalBase}, base currency) to
 * themselves. {@code live} is false for imported orders.
 */
public record CouponRedeemed(String code, String definitionId, String customerId, String orderKey,
                             BigDecimal totalBase, String journeyId, String journeyInstanceId, String stepId,
                             String campaignId, String source, Instant at, boolean live) {
}
