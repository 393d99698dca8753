package dev.caravan.connector;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Marketplace connector settings ({@code caravan.connector.*}).
 *
 * @param schedulerEnabled   poll due connections on a timer (off: syncs run only when asked through the API)
 * @param schedulerPeriod    how often due connections are looked for
 * @param concurrentSyncs    syncs running at once
 * @param defaultPollInterval time between two syncs of a connection that sets none
 * @param minPollInterval    shortest poll interval a connection may set
 * @param initialLookback    how far back the first sync reaches when a connection sets no syncFrom
 * @param windowLag          a polling window ends this long before now (late writes; Amazon needs 2 minutes)
 * @param lease              how long a claimed sync may run without saving progress before another may take over
 * @param maxAttempts        HTTP attempts per call on server errors and I/O failures
 * @param maxRateLimitWaits  429 answers tolerated per call before the run stops (retried later)
 * @param initialBackoff     first wait after a server error or a 429 without Retry-After (doubles)
 * @param maxWait            longest single wait inside a run
 * @param httpTimeout        connect and response timeout of platform calls
 * @param failureRetry       first delay before a failed connection is tried again (doubles, up to its poll interval)
 */
@ConfigurationProperties("caravan.connector")
public record ConnectorProperties(
        @DefaultValue("true") boolean schedulerEnabled,
        @DefaultValue("PT10S") Duration schedulerPeriod,
        @DefaultValue("2") int concurrentSyncs,
        @DefaultValue("PT15M") Duration defaultPollInterval,
        @DefaultValue("PT1M") Duration minPollInterval,
        @DefaultValue("P30D") Duration initialLookback,
        @DefaultValue("PT2M") Duration windowLag,
        @DefaultValue("PT10M") Duration lease,
        @DefaultValue("4") int maxAttempts,
        @DefaultValue("8") int maxRateLimitWaits,
        @DefaultValue("PT1S") Duration initialBackoff,
        @DefaultValue("PT2M") Duration maxWait,
        @DefaultValue("PT30S") Duration httpTimeout,
        @DefaultValue("PT1M") Duration failureRetry) {
}
