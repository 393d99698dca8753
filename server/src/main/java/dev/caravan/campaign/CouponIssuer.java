package dev.caravan.campaign;

import java.time.Instant;

/**
 * Port: issue a coupon for one customer from a coupon definition (issue 11, loyalty). A campaign with a coupon calls
 * it once per recipient before sending; the coupon goes to the template as {@code coupon} ({@code coupon.code},
 * {@code coupon.description}, {@code coupon.expiresAt}).
 * <p>Contract: idempotent per (customer, definition, reference): asking again returns the same coupon, so a retried
 * send never issues two. Throw {@link IllegalArgumentException} for an unknown definition. Implemented by the loyalty feature
 * ({@code loyalty.coupon.CampaignCoupons}).
 */
public interface CouponIssuer {

    record IssuedCoupon(String code, String description, Instant expiresAt) {
    }

    /**
     * @param reference who asks, e.g. {@code campaign:<id>}; part of the idempotency
     */
    IssuedCoupon issue(String customerId, String definitionId, String reference);
}
