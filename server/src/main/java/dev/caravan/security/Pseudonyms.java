package dev.caravan.security;

import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * ANALYST pseudonyms for pages rendered on the server (the console): the same masking the API applies to its JSON
 * responses ({@link AnalystPseudonymizer}), applied to a value before it reaches a template. A no-op for users
 * holding any role besides ANALYST.
 */
@Component
public class Pseudonyms {

    private final AnalystPseudonymizer pseudonymizer;
    private final JsonMapper json;

    Pseudonyms(AnalystPseudonymizer pseudonymizer, JsonMapper json) {
        this.pseudonymizer = pseudonymizer;
        this.json = json;
    }

    /** True when the current user sees customers only pseudonymised. */
    public boolean active() {
        return AnalystPseudonymizer.analystOnly();
    }

    public <T> T mask(T value, Class<T> type) {
        if (value == null || !active()) return value;
        return json.convertValue(pseudonymizer.scrub(json.valueToTree(value), false), type);
    }

    public <T> T mask(T value, TypeReference<T> type) {
        if (value == null || !active()) return value;
        return json.convertValue(pseudonymizer.scrub(json.valueToTree(value), false), type);
    }
}
