package dev.caravan.loyalty.coupon;

import java.math.BigDecimal;
import java.util.Optional;

import dev.caravan.common.web.NotFoundException;
import dev.caravan.workflow.CouponIssuer;
import org.springframework.stereotype.Component;

/**
 * The journeys' coupons are loyalty coupons: redeemable from orders, limited, and credited to the journey, instance
 * and step that issued them. Replaces the workflow feature's stand-in.
 */
@Component
class JourneyCoupons implements CouponIssuer {

    private final CouponService coupons;

    JourneyCoupons(CouponService coupons) {
        this.coupons = coupons;
    }

    @Override
    public Coupon issue(CouponRequest r) {
        Attribution a = r.journeyId() != null ? Attribution.journey(r.journeyId(), r.instanceId(), r.stepId())
                : Attribution.of(r.purpose() == null ? "journey" : r.purpose());
        CouponService.IssuedCoupon c = coupons.issue(new CouponService.IssueRequest(null, r.customerId(), r.value(),
                r.expiresAt(), a, r.idempotencyKey()));
        return new Coupon(c.code(), valueOf(c.kind(), c.value()), c.expiresAt());
    }

    @Override
    public Optional<Coupon> find(String code) {
        if (code == null || code.isBlank()) return Optional.empty();
        try {
            CouponCode c = coupons.code(code);
            return Optional.of(new Coupon(c.code(), valueOf(c.kind(), c.value()), c.expiresAt()));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** The journeys' vocabulary: "10%" or an amount in the base currency; free shipping has no number. */
    private static String valueOf(String kind, BigDecimal value) {
        if (value == null || CouponDefinition.FREE_SHIPPING.equals(kind)) return null;
        String v = value.stripTrailingZeros().toPlainString();
        return CouponDefinition.PERCENTAGE.equals(kind) ? v + "%" : value.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }
}
