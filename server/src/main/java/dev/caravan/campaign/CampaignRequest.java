package dev.caravan.campaign;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/campaigns} (docs/CAMPAIGNS.md).
 *
 * @param channels    tried in this order: with {@code channelMode} {@code first} (default) the first channel the
 *                    customer can be reached on gets the message; with {@code all} every one does
 * @param templates   template name per customer language ({@code "default"} for everyone else), e.g.
 *                    {@code {"default": "holiday_greeting", "zh-CN": "holiday_greeting_cn"}}
 * @param params      extra template variables
 * @param link        optional landing page; templates get {@code link} as a tracked redirect (clicks count)
 * @param coupon      optional {@code {"definitionId": "..."}}: a coupon per recipient (template variable {@code coupon})
 */
public record CampaignRequest(String name, String description, String segmentId, List<String> channels,
                              String channelMode, Map<String, String> templates, Map<String, Object> params,
                              String link, Schedule schedule, Coupon coupon, AbTest abTest, Suppression suppression,
                              Throttle throttle) {

    /**
     * @param type {@code now}, {@code at} (an instant) or {@code local_time} ({@code time} on {@code date} in each
     *             customer's own time zone; without a date the next such time)
     */
    public record Schedule(String type, String at, String date, String time) {
    }

    public record Coupon(String definitionId) {
    }

    /**
     * @param testShare share of the audience that gets the variants (split by their weights); the rest gets the
     *                  winner when the window has passed
     * @param window    ISO-8601 duration after the first test send, e.g. {@code PT4H}
     * @param metric    {@code open}, {@code click} or {@code conversion}
     */
    public record AbTest(List<Variant> variants, Double testShare, String window, String metric) {
    }

    /** A variant: its own templates and params (unset: the campaign's), and its weight within the test share. */
    public record Variant(String id, Map<String, String> templates, Map<String, Object> params, Integer weight) {
    }

    /**
     * @param excludeSegments   customers in any of these segments are left out
     * @param recentBuyersDays  customers who ordered within this many days are left out
     * @param inJourney         customers in a running journey are left out
     */
    public record Suppression(List<String> excludeSegments, Integer recentBuyersDays, Boolean inJourney) {
    }

    /** At most this many sends per hour. */
    public record Throttle(Integer perHour) {
    }
}
