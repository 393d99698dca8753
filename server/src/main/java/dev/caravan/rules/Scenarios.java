package dev.caravan.rules;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.kie.api.KieBase;

/**
 * Scenario tests written for marketers ({@code tests/*.yaml} or {@code tests/*.csv}): given customer facts (and
 * optionally population cut-offs and parameter overrides), the expected tier, lifecycle, level, tags, churn risks and
 * events. Every scenario must pass before a version is activated.
 */
public final class Scenarios {

    public record Scenario(String file, int line, String name, Map<String, Object> given, Map<String, Object> population,
                           Map<String, Object> parameters, Map<String, Object> expect) {
    }

    public record Result(String file, int line, String name, boolean passed, List<String> failures,
                         Map<String, Object> decided) {
    }

    private static final Set<String> EXPECT_KEYS = Set.of("tier", "lifecycle", "level", "tags", "notTags",
            "churnRisks", "events", "noEvents");

    private Scenarios() {
    }

    /** Parses a scenario file; problems (unknown fields, bad YAML) are added with file and line. */
    public static List<Scenario> parse(String file, String text, List<RuleProblem> problems) {
        return file.endsWith(".csv") ? parseCsv(file, text, problems) : parseYaml(file, text, problems);
    }

    @SuppressWarnings("unchecked")
    private static List<Scenario> parseYaml(String file, String text, List<RuleProblem> problems) {
        List<Scenario> out = new ArrayList<>();
        Object root;
        try {
            root = ParameterFile.yaml().load(text);
        } catch (RuntimeException e) {
            problems.add(new RuleProblem(file, ParameterFile.yamlLine(e), "not valid YAML: " + RuleCompiler.message(e)));
            return out;
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("scenarios") instanceof List<?> list)) {
            problems.add(new RuleProblem(file, 1, "expected a 'scenarios:' list"));
            return out;
        }
        Map<String, Object> defaultPopulation = top.get("population") instanceof Map<?, ?> p
                ? (Map<String, Object>) p : Map.of();
        Map<String, Object> defaultParameters = top.get("parameters") instanceof Map<?, ?> p
                ? (Map<String, Object>) p : Map.of();
        List<Integer> lines = scenarioLines(text);
        for (int i = 0; i < list.size(); i++) {
            int line = i < lines.size() ? lines.get(i) : 0;
            if (!(list.get(i) instanceof Map<?, ?> s)) {
                problems.add(new RuleProblem(file, line, "scenario " + (i + 1) + " must be a map"));
                continue;
            }
            String name = s.get("name") == null ? "scenario " + (i + 1) : s.get("name").toString();
            Map<String, Object> given = s.get("given") instanceof Map<?, ?> g ? (Map<String, Object>) g : Map.of();
            Map<String, Object> expect = s.get("expect") instanceof Map<?, ?> e ? (Map<String, Object>) e : null;
            if (expect == null) {
                problems.add(new RuleProblem(file, line, "scenario '" + name + "' has no 'expect:' map"));
                continue;
            }
            Map<String, Object> population = new LinkedHashMap<>(defaultPopulation);
            if (s.get("population") instanceof Map<?, ?> p) population.putAll((Map<String, Object>) p);
            Map<String, Object> parameters = new LinkedHashMap<>(defaultParameters);
            if (s.get("parameters") instanceof Map<?, ?> p) parameters.putAll((Map<String, Object>) p);
            out.add(check(new Scenario(file, line, name, given, population, parameters, expect), problems));
        }
        return out;
    }

    private static List<Integer> scenarioLines(String text) {
        List<Integer> lines = new ArrayList<>();
        String[] all = text.split("\n", -1);
        boolean inScenarios = false;
        int itemIndent = -1;
        for (int i = 0; i < all.length; i++) {
            String l = all[i];
            if (l.startsWith("scenarios:")) {
                inScenarios = true;
                continue;
            }
            if (!inScenarios) continue;
            String t = l.stripLeading();
            if (t.startsWith("- ") || t.equals("-")) {
                int indent = l.length() - t.length();
                if (itemIndent < 0) itemIndent = indent;
                if (indent == itemIndent) lines.add(i + 1);
            } else if (!l.isBlank() && !l.startsWith(" ") && !l.startsWith("#")) {
                inScenarios = false;
            }
        }
        return lines;
    }

    private static List<Scenario> parseCsv(String file, String text, List<RuleProblem> problems) {
        List<Scenario> out = new ArrayList<>();
        try (CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setCommentMarker('#').setIgnoreSurroundingSpaces(true).get().parse(new StringReader(text))) {
            for (CSVRecord r : csv) {
                int line = (int) r.getParser().getCurrentLineNumber();
                Map<String, Object> given = new LinkedHashMap<>();
                Map<String, Object> expect = new LinkedHashMap<>();
                Map<String, Object> population = new LinkedHashMap<>();
                Map<String, Object> parameters = new LinkedHashMap<>();
                String name = "line " + line;
                for (Map.Entry<String, String> e : r.toMap().entrySet()) {
                    String k = e.getKey().trim();
                    String v = e.getValue() == null ? "" : e.getValue().trim();
                    if (k.equals("scenario") || k.equals("name")) {
                        if (!v.isEmpty()) name = v;
                    } else if (k.startsWith("expect.")) {
                        if (!v.isEmpty()) {
                            String key = k.substring("expect.".length());
                            expect.put(key, Set.of("tags", "notTags", "churnRisks", "events", "noEvents").contains(key)
                                    ? List.of(v.split("\\s*;\\s*")) : v);
                        }
                    } else if (k.startsWith("population.")) {
                        if (!v.isEmpty()) population.put(k.substring("population.".length()), v);
                    } else if (k.startsWith("parameters.")) {
                        if (!v.isEmpty()) parameters.put(k.substring("parameters.".length()), v);
                    } else if (!v.isEmpty()) {
                        given.put(k, v);
                    }
                }
                out.add(check(new Scenario(file, line, name, given, population, parameters, expect), problems));
            }
        } catch (IOException | RuntimeException e) {
            problems.add(new RuleProblem(file, 0, "not a valid scenario CSV: " + RuleCompiler.message(e)));
        }
        return out;
    }

    private static Scenario check(Scenario s, List<RuleProblem> problems) {
        for (String k : s.given().keySet()) {
            if (!FactFields.ALL.containsKey(k)) {
                problems.add(new RuleProblem(s.file(), s.line(), "scenario '" + s.name() + "': unknown fact '" + k
                        + "'; known facts: " + FactFields.ALL.keySet()));
            }
        }
        for (String k : s.expect().keySet()) {
            if (!EXPECT_KEYS.contains(k)) {
                problems.add(new RuleProblem(s.file(), s.line(), "scenario '" + s.name() + "': unknown expectation '"
                        + k + "'; use " + new java.util.TreeSet<>(EXPECT_KEYS)));
            }
        }
        for (String k : s.population().keySet()) {
            if (!k.equals("coreMin") && !k.equals("growthMin")) {
                problems.add(new RuleProblem(s.file(), s.line(), "scenario '" + s.name() + "': population takes "
                        + "coreMin and growthMin, not '" + k + "'"));
            }
        }
        return s;
    }

    /** Runs the scenarios against a compiled rule set. */
    static List<Result> run(KieBase kieBase, Params params, List<Scenario> scenarios, int maxFirings) {
        List<Result> results = new ArrayList<>();
        for (Scenario s : scenarios) {
            results.add(runOne(kieBase, params, s, maxFirings));
        }
        return results;
    }

    private static Result runOne(KieBase kieBase, Params params, Scenario s, int maxFirings) {
        List<String> failures = new ArrayList<>();
        CustomerFact fact = new CustomerFact(s.name());
        for (Map.Entry<String, Object> e : s.given().entrySet()) {
            FactFields.Field field = FactFields.ALL.get(e.getKey());
            if (field == null) continue;
            try {
                field.set(fact, e.getValue());
            } catch (IllegalArgumentException ex) {
                failures.add(ex.getMessage());
            }
        }
        Params p = params;
        s.parameters().forEach((k, v) -> {
            if (!params.has(k)) {
                failures.add("unknown parameter '" + k + "'");
            } else if (number(v) == null) {
                failures.add("parameter " + k + ": '" + v + "' is not a number");
            }
        });
        double coreMin = number(s.population().get("coreMin"), 0.8, failures);
        double growthMin = number(s.population().get("growthMin"), 0.5, failures);
        Map<String, Object> decided = new LinkedHashMap<>();
        if (!failures.isEmpty()) {
            return new Result(s.file(), s.line(), s.name(), false, failures, decided);
        }
        RuleEngine.BatchResult batch;
        try {
            batch = RuleEngine.evaluate(kieBase, p, Population.ofCutoffs(coreMin, growthMin), List.of(fact), maxFirings);
        } catch (RuntimeException e) {
            failures.add("the rules failed: " + RuleCompiler.message(e));
            return new Result(s.file(), s.line(), s.name(), false, failures, decided);
        }
        if (!batch.loops().isEmpty()) {
            RuleEngine.Loop loop = batch.loops().get(0);
            failures.add(loop.error() ? loop.detail()
                    : "rules looped (stopped after " + maxFirings + " firings): " + loop.detail());
            return new Result(s.file(), s.line(), s.name(), false, failures, decided);
        }
        failures.addAll(fact.problems());
        Changes changes = Changes.of(fact, Changes.Current.of(fact));
        decided.put("tier", changes.tierValue());
        decided.put("lifecycle", changes.lifecycleValue());
        decided.put("level", changes.levelValue());
        decided.put("tags", List.copyOf(changes.tagValues()));
        decided.put("churnRisks", List.copyOf(changes.churnRisks().keySet()));
        List<String> events = changes.events(0, Instant.EPOCH, true).stream().map(Changes::eventType).distinct().toList();
        decided.put("events", events);
        Map<String, Object> ex = s.expect();
        expectValue("tier", ex, changes.tierValue(), failures);
        expectValue("lifecycle", ex, changes.lifecycleValue(), failures);
        expectValue("level", ex, changes.levelValue(), failures);
        expectContains("tags", ex, changes.tagValues(), true, failures);
        expectContains("notTags", ex, changes.tagValues(), false, failures);
        expectContains("churnRisks", ex, changes.churnRisks().keySet(), true, failures);
        expectContains("events", ex, events, true, failures);
        expectContains("noEvents", ex, events, false, failures);
        return new Result(s.file(), s.line(), s.name(), failures.isEmpty(), failures, decided);
    }

    /** The scenario's valid parameter overrides (the rule set compiles a variant with them). */
    static Map<String, Double> overrides(Scenario s, Params params) {
        Map<String, Double> out = new TreeMap<>();
        s.parameters().forEach((k, v) -> {
            Double d = number(v);
            if (params.has(k) && d != null) out.put(k, d);
        });
        return out;
    }

    private static Double number(Object v) {
        if (v instanceof Number n) return n.doubleValue();
        try {
            return v == null ? null : Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void expectValue(String key, Map<String, Object> expect, String actual, List<String> failures) {
        if (!expect.containsKey(key)) return;
        Object e = expect.get(key);
        String wanted = e == null || "none".equals(e.toString()) ? null : e.toString();
        if (!Objects.equals(wanted, actual)) {
            failures.add("expected " + key + " " + (wanted == null ? "none" : wanted) + " but the rules decided "
                    + (actual == null ? "none" : actual));
        }
    }

    private static void expectContains(String key, Map<String, Object> expect, Collection<String> actual, boolean present,
                                       List<String> failures) {
        if (!expect.containsKey(key)) return;
        Object e = expect.get(key);
        List<String> wanted = new ArrayList<>();
        if (e instanceof Collection<?> c) c.forEach(x -> wanted.add(String.valueOf(x)));
        else if (e != null) wanted.add(e.toString());
        Set<String> have = new LinkedHashSet<>(actual);
        for (String w : wanted) {
            if (have.contains(w) != present) {
                String what = key.equals("notTags") ? "tags" : key.equals("noEvents") ? "events" : key;
                failures.add((present ? "expected " : "did not expect ") + what + " '" + w + "'; got " + have);
            }
        }
    }

    private static double number(Object o, double dflt, List<String> failures) {
        if (o == null) return dflt;
        try {
            return Double.parseDouble(o.toString());
        } catch (NumberFormatException e) {
            failures.add("population value '" + o + "' is not a number");
            return dflt;
        }
    }
}
