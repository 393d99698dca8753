package dev.caravan.workflow;

import java.time.Instant;

/**
 * The journeys' port to coupons: a unique single-use code with a value and an expiry. The loyalty feature will
 * replace {@link StoredCouponIssuer}, the simple default.
 */
public interface CouponIssuer {

    /**
     * @param value          "10%" or an amount in the base currency ("5.00")
     * @param idempotencyKey issuing the same key twice returns the first coupon
     */
    record CouponRequest(String customerId, String value, Instant expiresAt, String purpose, String idempotencyKey) {
    }

    record Coupon(String code, String value, Instant expiresAt) {
    }

    Coupon issue(CouponRequest request);
}
