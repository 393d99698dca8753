package dev.caravan.rules;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The stable lowercase ids the rules may decide; display names are translated in the console. */
public final class Vocabulary {

    public static final List<String> TIER_ORDER = List.of("base", "growth", "core");
    public static final Set<String> TIERS = Set.copyOf(TIER_ORDER);
    public static final List<String> LIFECYCLE_ORDER = List.of("new", "active", "dormant", "churned");
    public static final Set<String> LIFECYCLES = Set.copyOf(LIFECYCLE_ORDER);
    public static final List<String> LEVEL_ORDER = List.of("silver", "gold", "diamond");
    public static final Set<String> LEVELS = Set.copyOf(LEVEL_ORDER);
    /** Tags and churn-risk reasons: kebab-case ids such as {@code high-value}. */
    public static final Pattern ID = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");

    private Vocabulary() {
    }
}
