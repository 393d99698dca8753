package dev.caravan.rules;

/** Candidate rules that do not compile or fail scenario tests: answered with 422 listing every problem. */
public class RulesRejectedException extends RuntimeException {

    private final transient RuleSet.Validation validation;

    RulesRejectedException(String message, RuleSet.Validation validation) {
        super(message);
        this.validation = validation;
    }

    RuleSet.Validation validation() {
        return validation;
    }
}
