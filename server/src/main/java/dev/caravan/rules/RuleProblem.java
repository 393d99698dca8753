package dev.caravan.rules;

/** A problem found in a rule set: the file (path inside the rule set), the line (0 when unknown) and what is wrong. */
public record RuleProblem(String file, int line, String message) {

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + message;
    }
}
