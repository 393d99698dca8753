package dev.caravan.messaging;

import java.time.Instant;
import java.util.List;

/**
 * Whether a send would be allowed now, and if not why: the answer of {@link MessageService#check(SendRequest)}, for
 * journey dry-runs and previews. Nothing is stored.
 *
 * @param outcome   {@code send}, {@code defer} (allowed later, at {@link #deferUntil()}) or {@code suppress}
 * @param reason    the first check that did not pass, or null
 * @param checks    every check in the order the pipeline runs them, with its verdict
 */
public record SendCheck(boolean allowed, String outcome, Reason reason, Instant deferUntil, List<Step> checks) {

    /** One check: {@code consent}, {@code channel_policy}, {@code frequency_cap}, {@code quiet_hours}. */
    public record Step(String check, boolean passed, String detail) {
    }
}
