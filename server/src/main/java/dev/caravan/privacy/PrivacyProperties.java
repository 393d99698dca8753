package dev.caravan.privacy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Data-subject rights settings.
 *
 * @param tombstoneKey base64 of at least 32 random bytes: the HMAC key of erasure tombstones (from the environment
 *                     as {@code CARAVAN_PRIVACY_TOMBSTONE_KEY}); unset, a key is generated once under
 *                     {@code <data-dir>/secrets/tombstone.key}. Changing it makes existing tombstones unmatchable.
 * @param redactSweep  how often Shopify {@code customers/redact} requests not yet completed are retried
 * @param retention    anonymisation of inactive customers
 */
@ConfigurationProperties("caravan.privacy")
public record PrivacyProperties(
        String tombstoneKey,
        @DefaultValue("PT5M") Duration redactSweep,
        @DefaultValue Retention retention) {

    /**
     * @param enabled     off by default: the scheduled job anonymises nothing until a shop sets its retention policy
     * @param inactiveFor a customer with no order, no profile change and no creation within this period is inactive
     *                    (default three years, {@code P1095D})
     * @param cron        when the scheduled job runs (default daily at 04:00 server time, after the nightly CLV refit and rules run)
     */
    public record Retention(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("P1095D") Duration inactiveFor,
            @DefaultValue("0 0 4 * * *") String cron) {
    }
}
