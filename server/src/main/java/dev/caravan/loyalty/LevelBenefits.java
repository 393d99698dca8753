package dev.caravan.loyalty;

import java.math.BigDecimal;

/**
 * What a membership level gives, as data: shown on the profile, available to templates as
 * {@code loyalty.benefits.*} and used by the birthday job.
 *
 * @param discountPercent  member discount (0..100), for shops and templates to quote
 * @param freeShipping     free shipping for members of the level
 * @param birthdayGift     what the level's members get on their birthday (null = nothing beyond the bonus points)
 * @param earlyAccess      early access to sales and new arrivals
 * @param description      one line for templates and the console
 */
public record LevelBenefits(BigDecimal discountPercent, boolean freeShipping, BirthdayGift birthdayGift,
                            boolean earlyAccess, String description) {

    /**
     * @param points             bonus points on the birthday (on top of the {@code loyalty-bonus-birthday} bonus)
     * @param couponDefinitionId a coupon issued on the birthday (null = none)
     * @param description        how templates describe the gift
     */
    public record BirthdayGift(long points, String couponDefinitionId, String description) {
    }
}
