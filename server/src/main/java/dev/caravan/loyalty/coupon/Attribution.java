package dev.caravan.loyalty.coupon;

/**
 * Who issued a coupon, so its redemption's revenue is credited to them. The same vocabulary as messaging
 * ({@code journeyId}, {@code campaignId}). Journeys pass their id, the instance and the step; campaigns their id;
 * {@code source} names other issuers ({@code points} for coupons bought with points, {@code birthday},
 * {@code manual}, {@code api}).
 */
public record Attribution(String journeyId, String journeyInstanceId, String stepId, String campaignId,
                          String source) {

    public static Attribution journey(String journeyId, String instanceId, String stepId) {
        return new Attribution(journeyId, instanceId, stepId, null, "journey");
    }

    public static Attribution campaign(String campaignId) {
        return new Attribution(null, null, null, campaignId, "campaign");
    }

    public static Attribution of(String source) {
        return new Attribution(null, null, null, null, source);
    }

    /** {@code journey:<id>}, {@code campaign:<id>} or the source: the key revenue is grouped by. */
    public String ref() {
        if (journeyId != null) return "journey:" + journeyId;
        if (campaignId != null) return "campaign:" + campaignId;
        return source == null ? "none" : source;
    }

    /** This attribution, or the definition's default when this one names neither a journey nor a campaign. */
    Attribution orDefault(Attribution fallback) {
        if (journeyId != null || campaignId != null || fallback == null) return this;
        return new Attribution(fallback.journeyId(), fallback.journeyInstanceId(), fallback.stepId(),
                fallback.campaignId(), source != null ? source : fallback.source());
    }
}
