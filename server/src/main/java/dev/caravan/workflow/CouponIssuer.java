package dev.caravan.workflow;

import java.time.Instant;
import java.util.Optional;

/**
 * The journeys' port to coupons: a unique single-use code with a value and an expiry. Implemented by the loyalty feature
 * ({@code loyalty.coupon.JourneyCoupons}: redeemable codes credited to the journey step).
 */
public interface CouponIssuer {

    /**
     * @param value          "10%" or an amount in the base currency ("5.00")
     * @param idempotencyKey issuing the same key twice returns the first coupon
     * @param journeyId      with {@code instanceId} and {@code stepId}: who issues it, so the revenue of its
     *                       redemption is credited to the journey
     */
    record CouponRequest(String customerId, String value, Instant expiresAt, String purpose, String idempotencyKey,
                         String journeyId, String instanceId, String stepId) {
        public CouponRequest(String customerId, String value, Instant expiresAt, String purpose, String idempotencyKey) {
            this(customerId, value, expiresAt, purpose, idempotencyKey, null, null, null);
        }
    }

    record Coupon(String code, String value, Instant expiresAt) {
    }

    Coupon issue(CouponRequest request);

    /**
     * A coupon this issuer gave out, by code: journey messages show its value and expiry. Issuers that cannot look
     * coupons up answer empty (the message then shows the code only).
     */
    default Optional<Coupon> find(String code) {
        return Optional.empty();
    }
}
