package dev.caravan.loyalty.coupon;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the coupon engine.
 *
 * @param codeLength   characters of a generated code (without its prefix), from 31 unambiguous ones (10 = 49.5 bits)
 * @param maxBulkCodes codes one bulk generation may create
 * @param bulkBatch    codes per insert during bulk generation
 */
@ConfigurationProperties("caravan.loyalty.coupons")
public record CouponProperties(
        @DefaultValue("10") int codeLength,
        @DefaultValue("1000000") int maxBulkCodes,
        @DefaultValue("1000") int bulkBatch) {
}
