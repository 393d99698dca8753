package dev.caravan.loyalty.coupon;

import java.time.Instant;

/** Domain event: a code was issued to a customer (not for bulk generation). */
public record CouponIssued(String code, String definitionId, String customerId, String value, Instant expiresAt,
                           String journeyId, String journeyInstanceId, String stepId, String campaignId, String source,
                           Instant at) {
}
