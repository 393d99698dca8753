package dev.caravan.integrations.marketplace;

import java.time.Duration;

/**
 * How patient the HTTP route is.
 *
 * @param maxAttempts        attempts per call on server errors and I/O failures (the first one included)
 * @param maxRateLimitWaits  429 answers tolerated per call before the sync gives up until its next run
 * @param initialBackoff     first wait after a server error or a 429 without Retry-After (doubles each time)
 * @param maxWait            longest single wait; a Retry-After beyond it ends the run (retried later)
 * @param timeout            connect and response timeout
 */
public record HttpSettings(int maxAttempts, int maxRateLimitWaits, Duration initialBackoff, Duration maxWait,
                           Duration timeout) {

    public static HttpSettings defaults() {
        return new HttpSettings(4, 8, Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(30));
    }
}
