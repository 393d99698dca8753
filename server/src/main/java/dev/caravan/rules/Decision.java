package dev.caravan.rules;

/**
 * One value decided by a rule, with its provenance: the rule file (path inside the rule set) and the rule name.
 * Decision tables name their rules after the table row (e.g. {@code Row 11 Membership}).
 */
public record Decision(String value, String file, String rule) {

    /** Same value, same file, same rule. */
    public boolean sameAs(Decision other) {
        return other != null && java.util.Objects.equals(value, other.value)
                && java.util.Objects.equals(file, other.file) && java.util.Objects.equals(rule, other.rule);
    }
}
