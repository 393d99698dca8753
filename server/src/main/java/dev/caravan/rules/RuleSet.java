package dev.caravan.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.kie.api.KieBase;

/**
 * One compiled, immutable rule set: its files, the Drools knowledge base, the parameters and the scenario tests.
 * Evaluations take the active set once and use it throughout, so a swap never mixes two versions.
 */
final class RuleSet {

    private final long version;
    private final SortedMap<String, byte[]> files;
    private final KieBase kieBase;
    private final Map<String, ParameterFile.Definition> parameters;
    private final Params params;

    private RuleSet(long version, SortedMap<String, byte[]> files, KieBase kieBase,
                    Map<String, ParameterFile.Definition> parameters) {
        this.version = version;
        this.files = files;
        this.kieBase = kieBase;
        this.parameters = parameters;
        Map<String, Double> values = new TreeMap<>();
        parameters.forEach((k, d) -> values.put(k, d.value()));
        this.params = new Params(values);
    }

    long version() { return version; }
    SortedMap<String, byte[]> files() { return Collections.unmodifiableSortedMap(files); }
    KieBase kieBase() { return kieBase; }
    Params params() { return params; }
    Map<String, ParameterFile.Definition> parameters() { return parameters; }

    double coreShare() { return params.has("core-share") ? params.num("core-share") : 0.2; }
    double growthShare() { return params.has("growth-share") ? params.num("growth-share") : 0.3; }

    RuleSet withVersion(long v) {
        return new RuleSet(v, files, kieBase, parameters);
    }

    /** The result of checking candidate files: the compiled set when it compiles, every problem, scenario results. */
    record Validation(RuleSet ruleSet, List<RuleProblem> problems, List<Scenarios.Result> scenarios) {
        boolean valid() {
            return ruleSet != null && problems.isEmpty() && scenarios.stream().allMatch(Scenarios.Result::passed);
        }

        long failedScenarios() {
            return scenarios.stream().filter(s -> !s.passed()).count();
        }
    }

    /** Recent builds by content: re-activating or reloading the same files reuses the compiled knowledge base. */
    private static final Map<String, Validation> RECENT = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Validation> eldest) {
                    return size() > 4;
                }
            });

    /** Compiles the files, reads parameters and scenarios, and runs the scenarios when everything compiled. */
    static Validation build(Map<String, byte[]> input, int maxFirings) {
        String key = maxFirings + ":" + digest(input);
        Validation cached = RECENT.get(key);
        if (cached != null) return cached;
        Validation v = compile(input, maxFirings);
        if (v.ruleSet() != null) RECENT.put(key, v);
        return v;
    }

    private static String digest(Map<String, byte[]> files) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            new TreeMap<>(files).forEach((name, bytes) -> {
                md.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(bytes == null ? new byte[0] : bytes);
                md.update((byte) 0);
            });
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Validation compile(Map<String, byte[]> input, int maxFirings) {
        List<RuleProblem> problems = new ArrayList<>();
        SortedMap<String, byte[]> files = new TreeMap<>();
        if (input.size() > RuleFiles.MAX_FILES) {
            problems.add(new RuleProblem("", 0, "a rule set holds at most " + RuleFiles.MAX_FILES + " files"));
        }
        for (Map.Entry<String, byte[]> e : input.entrySet()) {
            try {
                RuleFiles.kindOf(e.getKey());
            } catch (IllegalArgumentException ex) {
                problems.add(new RuleProblem(e.getKey(), 0, ex.getMessage()));
                continue;
            }
            if (e.getValue().length > RuleFiles.MAX_FILE_BYTES) {
                problems.add(new RuleProblem(e.getKey(), 0, "larger than " + RuleFiles.MAX_FILE_BYTES + " bytes"));
                continue;
            }
            files.put(e.getKey(), e.getValue());
        }
        Map<String, ParameterFile.Definition> parameters = Map.of();
        byte[] paramFile = files.get(RuleFiles.PARAMETERS);
        if (paramFile == null) {
            problems.add(new RuleProblem(RuleFiles.PARAMETERS, 0, "the rule set needs a parameters.yaml"));
        } else {
            parameters = ParameterFile.parse(RuleFiles.PARAMETERS, RuleFiles.text(paramFile), problems);
        }
        List<Scenarios.Scenario> scenarios = new ArrayList<>();
        files.forEach((name, bytes) -> {
            RuleFiles.Kind kind = RuleFiles.kindOf(name);
            if (kind == RuleFiles.Kind.SCENARIOS_YAML || kind == RuleFiles.Kind.SCENARIOS_CSV) {
                scenarios.addAll(Scenarios.parse(name, RuleFiles.text(bytes), problems));
            }
        });
        Map<String, Double> values = new TreeMap<>();
        parameters.forEach((k, d) -> values.put(k, d.value()));
        RuleCompiler.Result compiled = RuleCompiler.compile(ParameterSubstitution.apply(files, values, problems));
        problems.addAll(compiled.problems());
        if (!compiled.ok()) {
            return new Validation(null, problems, List.of());
        }
        RuleSet set = new RuleSet(0, files, compiled.kieBase(), parameters);
        List<Scenarios.Result> results = new ArrayList<>();
        if (problems.isEmpty()) {
            // scenarios that override parameters run on a variant compiled with their values
            Map<Map<String, Double>, List<Scenarios.Scenario>> byOverrides = new java.util.LinkedHashMap<>();
            for (Scenarios.Scenario s : scenarios) {
                byOverrides.computeIfAbsent(Scenarios.overrides(s, set.params()), k -> new ArrayList<>()).add(s);
            }
            for (Map.Entry<Map<String, Double>, List<Scenarios.Scenario>> e : byOverrides.entrySet()) {
                KieBase kb = set.kieBase();
                Params params = set.params();
                if (!e.getKey().isEmpty()) {
                    params = params.with(e.getKey());
                    List<RuleProblem> variantProblems = new ArrayList<>();
                    RuleCompiler.Result variant = RuleCompiler.compile(
                            ParameterSubstitution.apply(files, params.values(), variantProblems));
                    if (!variant.ok()) {
                        problems.addAll(variant.problems());
                        continue;
                    }
                    kb = variant.kieBase();
                }
                results.addAll(Scenarios.run(kb, params, e.getValue(), maxFirings));
            }
            results.sort(java.util.Comparator.comparing(Scenarios.Result::file).thenComparingInt(Scenarios.Result::line));
        }
        return new Validation(problems.isEmpty() ? set : null, problems, results);
    }
}
