package dev.caravan.loyalty.coupon;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * What a coupon gives and who may use it; codes are issued from it.
 *
 * @param id                kebab-case id chosen by the marketer ({@code winback-10}); auto definitions created for a
 *                          journey or campaign without one are {@code auto-journey-<id>} / {@code auto-campaign-<id>}
 * @param kind              {@code percentage}, {@code fixed} or {@code free_shipping}
 * @param value             percent (0 < v <= 100) or amount (fixed, in {@code currency}); null for free shipping
 * @param currency          the currency of a fixed amount and of {@code minOrder} (default: base currency)
 * @param minOrder          minimum order total in {@code currency} (converted at the order date for other currencies)
 * @param validFrom         codes are issued and redeemed from then (null = now)
 * @param validTo           and until then (null = no end)
 * @param validDays         an issued code expires this many days after issue (capped by validTo); null = validTo
 * @param codeMode          {@code unique} (single-use codes, one per customer or generated in bulk) or {@code shared}
 * @param sharedCode        the code of a shared definition
 * @param prefix            prefix of generated unique codes (A-Z, 2-9, up to 8)
 * @param perCustomerLimit  unique: codes one customer may be issued; shared: uses per customer (default 1); null =
 *                          unlimited for unique
 * @param totalLimit        unique: codes that may exist (issued + generated); shared: total uses; null = unlimited
 * @param eligibleLevels    membership levels that may use it (empty = everybody)
 * @param eligibleTiers     value tiers that may use it (empty = everybody)
 * @param eligibleSegments  segments that may use it (empty = everybody; see {@link SegmentMembership})
 * @param pointsCost        points a customer pays to get a code ({@code POST /customers/{id}/points/redeem}); null = not
 *                          for points
 * @param journeyId         default attribution of its codes
 * @param campaignId        default attribution of its codes
 * @param issued            unique codes that exist (issued or generated), kept for {@code totalLimit}
 */
@Document("coupon_definitions")
public record CouponDefinition(
        @MongoId(FieldType.STRING) String id,
        String name,
        String description,
        String kind,
        BigDecimal value,
        String currency,
        BigDecimal minOrder,
        Instant validFrom,
        Instant validTo,
        Integer validDays,
        String codeMode,
        String sharedCode,
        String prefix,
        Integer perCustomerLimit,
        Long totalLimit,
        List<String> eligibleLevels,
        List<String> eligibleTiers,
        List<String> eligibleSegments,
        Long pointsCost,
        String journeyId,
        String campaignId,
        boolean active,
        boolean auto,
        long issued,
        String createdBy,
        Instant createdAt,
        Instant updatedAt) {

    public static final String PERCENTAGE = "percentage";
    public static final String FIXED = "fixed";
    public static final String FREE_SHIPPING = "free_shipping";
    public static final String UNIQUE = "unique";
    public static final String SHARED = "shared";

    public CouponDefinition {
        eligibleLevels = eligibleLevels == null ? List.of() : eligibleLevels;
        eligibleTiers = eligibleTiers == null ? List.of() : eligibleTiers;
        eligibleSegments = eligibleSegments == null ? List.of() : eligibleSegments;
    }

    public boolean shared() {
        return SHARED.equals(codeMode);
    }

    /** The display value: "10%", "5.00 EUR" or "free shipping". */
    public static String display(String kind, BigDecimal value, String currency) {
        if (FREE_SHIPPING.equals(kind)) return "free shipping";
        if (value == null) return "";
        if (PERCENTAGE.equals(kind)) return value.stripTrailingZeros().toPlainString() + "%";
        return value.setScale(Math.max(2, value.stripTrailingZeros().scale()), java.math.RoundingMode.UNNECESSARY)
                .toPlainString() + (currency == null ? "" : " " + currency);
    }

    Attribution attribution() {
        if (journeyId == null && campaignId == null) return null;
        return new Attribution(journeyId, null, null, campaignId, journeyId != null ? "journey" : "campaign");
    }
}
