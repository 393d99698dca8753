package dev.caravan.rules;

import java.util.Map;
import java.util.TreeMap;

/**
 * The named parameters of the active rule set ({@code parameters.yaml}), inserted into every rule session. Rules
 * read them with {@code $p.num("dormant-days")}; an unknown name is an error, so a typo fails the scenario tests
 * instead of silently reading zero.
 */
public final class Params {

    private final Map<String, Double> values;

    public Params(Map<String, Double> values) {
        this.values = new TreeMap<>(values);
    }

    public double num(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("unknown rule parameter '" + name + "'; known: " + values.keySet());
        }
        return v;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Map<String, Double> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    public Params with(Map<String, Double> overrides) {
        Map<String, Double> m = new TreeMap<>(values);
        m.putAll(overrides);
        return new Params(m);
    }
}
