package dev.caravan.loyalty.coupon;

import dev.caravan.campaign.CouponIssuer;
import org.springframework.stereotype.Component;

/**
 * A campaign's coupon is a loyalty coupon of the definition the campaign names, one per recipient (idempotent per
 * customer, definition and campaign reference), credited to the campaign.
 */
@Component
class CampaignCoupons implements CouponIssuer {

    private final CouponService coupons;

    CampaignCoupons(CouponService coupons) {
        this.coupons = coupons;
    }

    @Override
    public IssuedCoupon issue(String customerId, String definitionId, String reference) {
        String campaignId = reference != null && reference.startsWith("campaign:") ? reference.substring(9) : null;
        Attribution a = campaignId != null ? Attribution.campaign(campaignId) : Attribution.of(reference);
        CouponService.IssuedCoupon c = coupons.issue(new CouponService.IssueRequest(definitionId, customerId, null,
                null, a, "campaign|" + definitionId + "|" + customerId + "|" + reference));
        return new IssuedCoupon(c.code(), c.display(), c.expiresAt());
    }
}
