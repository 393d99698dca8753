package dev.caravan.loyalty.coupon;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A coupon definition as created or replaced through the API; see {@link CouponDefinition} for the fields. */
public record DefinitionInput(String id, String name, String description, String kind, BigDecimal value,
                              String currency, BigDecimal minOrder, Instant validFrom, Instant validTo,
                              Integer validDays, String codeMode, String sharedCode, String prefix,
                              Integer perCustomerLimit, Long totalLimit, List<String> eligibleLevels,
                              List<String> eligibleTiers, List<String> eligibleSegments, Long pointsCost,
                              String journeyId, String campaignId, Boolean active) {
}
