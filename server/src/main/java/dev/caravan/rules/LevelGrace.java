package dev.caravan.rules;

import java.time.Duration;
import java.time.Instant;

/**
 * Downgrade grace for membership levels. The decision table says which level a customer qualifies for now; when that
 * is lower than the level they hold (a downgrade, including losing the level), the held level is kept for
 * {@value #PARAMETER} days (rule parameter, marketer-editable) counted from the first evaluation that found them no
 * longer qualifying ({@code rule_states.levelLapsedAt}). Qualifying again within the period clears the lapse;
 * upgrades are never delayed. Level order is {@link Vocabulary#LEVEL_ORDER}.
 */
final class LevelGrace {

    static final String PARAMETER = "level-grace-days";

    private LevelGrace() {
    }

    /**
     * Applies the grace period to the fact's level decision (possibly replacing it with the held level) and returns
     * the lapse time to store: null when the customer qualifies for what they hold, or after the downgrade.
     */
    static Instant apply(CustomerFact f, RuleState state, Params params, Instant now) {
        String held = f.getLevel();
        Decision decided = f.levelDecision();
        if (held == null || rank(decided == null ? null : decided.value()) >= rank(held)) return null;
        double days = params.has(PARAMETER) ? params.num(PARAMETER) : 0;
        if (days <= 0) return null;
        Instant lapsed = state != null && state.levelLapsedAt() != null ? state.levelLapsedAt() : now;
        Instant until = lapsed.plus(Duration.ofSeconds(Math.round(days * 86_400)));
        if (!now.isBefore(until)) return null;
        RuleState.Held before = state == null ? null : state.level();
        f.keepLevel(before != null && held.equals(before.value()) ? before.decision()
                : new Decision(held, "grace", "level-grace-days"));
        return lapsed;
    }

    /** Position in {@link Vocabulary#LEVEL_ORDER}; -1 for no level. */
    static int rank(String level) {
        return level == null ? -1 : Vocabulary.LEVEL_ORDER.indexOf(level);
    }
}
