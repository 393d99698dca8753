package dev.caravan.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The repository's rules/ folder: it compiles, and every scenario test in rules/tests passes (this is how the
 * marketers' scenarios run in the project's test suite). Also the typed-edit and loop-limit building blocks.
 */
class PackagedRulesTest {

    static SortedMap<String, byte[]> files;
    static RuleSet.Validation validation;

    @BeforeAll
    static void compile() throws IOException {
        Path root = repoRoot().resolve("rules");
        files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(p).toString().replace('\\', '/');
                try {
                    RuleFiles.kindOf(name);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                files.put(name, Files.readAllBytes(p));
            }
        }
        validation = RuleSet.build(files, 200);
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("rules"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("no rules/ folder above " + Path.of("").toAbsolutePath());
        return p;
    }

    @Test
    void theRuleFilesCompileAndEveryScenarioPasses() {
        assertThat(validation.problems()).isEmpty();
        List<String> failed = new ArrayList<>();
        validation.scenarios().stream().filter(r -> !r.passed())
                .forEach(r -> failed.add(r.file() + ":" + r.line() + " " + r.name() + " " + r.failures()));
        assertThat(failed).isEmpty();
        assertThat(validation.scenarios()).hasSizeGreaterThan(30);
        assertThat(validation.scenarios().stream().map(Scenarios.Result::file).distinct())
                .contains("tests/tiers.yaml", "tests/membership.yaml", "tests/lifecycle.csv", "tests/tags.yaml",
                        "tests/churn.yaml");
    }

    @Test
    void theServerPackagesTheSameFiles() {
        SortedMap<String, byte[]> packaged = RulesService.packagedDefaults();
        assertThat(packaged.keySet()).isEqualTo(files.keySet());
    }

    @Test
    void aLoopingCustomerIsStoppedAndReportedWhileTheOthersAreDecided() {
        String loop = """
                package caravan
                import dev.caravan.rules.CustomerFact
                rule "loops on big complainers"
                when
                    $c : CustomerFact( complaints >= 5 )
                then
                    modify($c) { setComplaints($c.getComplaints() + 1) }
                end
                """;
        SortedMap<String, byte[]> withLoop = new TreeMap<>(files);
        withLoop.put("caravan/loop.drl", loop.getBytes(StandardCharsets.UTF_8));
        withLoop.keySet().removeIf(n -> n.startsWith("tests/"));
        RuleSet.Validation v = RuleSet.build(withLoop, 100);
        assertThat(v.problems()).isEmpty();
        List<CustomerFact> facts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            CustomerFact f = new CustomerFact("c" + i);
            f.setOrderCount(1);
            f.setDaysSinceFirstOrder(10);
            f.setDaysSinceLastOrder(10);
            f.setComplaints(i == 7 ? 5 : 0);
            facts.add(f);
        }
        RuleEngine.BatchResult r = RuleEngine.evaluate(v.ruleSet().kieBase(), v.ruleSet().params(),
                Population.ofCutoffs(0.8, 0.5), facts, 100);
        assertThat(r.loops()).hasSize(1);
        assertThat(r.loops().get(0).customerId()).isEqualTo("c7");
        assertThat(r.loops().get(0).detail()).contains("caravan/loop.drl / loops on big complainers");
        assertThat(r.evaluated()).hasSize(49).allSatisfy(f -> assertThat(f.tierDecision()).isNotNull());
    }

    @Test
    void aRuleThatThrowsForOneCustomerDoesNotStopTheOthers() {
        String throwing = """
                package caravan
                import dev.caravan.rules.CustomerFact
                rule "breaks on three complaints"
                when
                    $c : CustomerFact( complaints == 3 )
                then
                    throw new IllegalStateException("boom");
                end
                """;
        SortedMap<String, byte[]> set = new TreeMap<>(files);
        set.put("caravan/throwing.drl", throwing.getBytes(StandardCharsets.UTF_8));
        set.keySet().removeIf(n -> n.startsWith("tests/"));
        RuleSet.Validation v = RuleSet.build(set, 100);
        List<CustomerFact> facts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            CustomerFact f = new CustomerFact("c" + i);
            f.setComplaints(i == 4 ? 3 : 0);
            facts.add(f);
        }
        RuleEngine.BatchResult r = RuleEngine.evaluate(v.ruleSet().kieBase(), v.ruleSet().params(),
                Population.ofCutoffs(0.8, 0.5), facts, 100);
        assertThat(r.loops()).singleElement().satisfies(l -> {
            assertThat(l.customerId()).isEqualTo("c4");
            assertThat(l.error()).isTrue();
            assertThat(l.detail()).contains("boom");
        });
        assertThat(r.evaluated()).hasSize(9).allSatisfy(f -> assertThat(f.tierDecision().value()).isEqualTo("base"));
    }

    @Test
    void parameterPlaceholdersAreWrittenInAsNumbersAndUnknownOnesAreErrors() {
        List<RuleProblem> problems = new ArrayList<>();
        SortedMap<String, byte[]> out = ParameterSubstitution.apply(Map.of("a.drl",
                "x > @{dormant-days}\ny > @{nope}".getBytes(StandardCharsets.UTF_8)), Map.of("dormant-days", 120.0),
                problems);
        assertThat(new String(out.get("a.drl"), StandardCharsets.UTF_8)).startsWith("x > 120\n");
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("a.drl");
            assertThat(p.line()).isEqualTo(2);
        });
        assertThat(ParameterSubstitution.literal(0.25)).isEqualTo("0.25");
        assertThat(ParameterSubstitution.literal(-3)).isEqualTo("(-3)");
    }

    @Test
    void typedParameterEditsChangeOnlyTheValueLine() {
        String text = new String(files.get("parameters.yaml"), StandardCharsets.UTF_8);
        List<RuleProblem> problems = new ArrayList<>();
        Map<String, ParameterFile.Definition> defs = ParameterFile.parse("parameters.yaml", text, problems);
        assertThat(problems).isEmpty();
        String updated = ParameterFile.withValues(text, defs, Map.of("dormant-days", "90", "tier-margin", 0.05));
        assertThat(ParameterFile.parse("parameters.yaml", updated, problems).get("dormant-days").value()).isEqualTo(90);
        assertThat(updated.lines().count()).isEqualTo(text.lines().count());
        assertThat(updated).contains("# Named parameters");
        assertThatThrownBy(() -> ParameterFile.withValues(text, defs, Map.of("dormant-days", "90\nx: 1")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ParameterFile.withValues(text, defs, Map.of("dormant-days", 5)))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void typedTableEditsKeepTheTemplatesAndRefuseCode() {
        String name = "caravan/membership.drl.csv";
        String text = new String(files.get(name), StandardCharsets.UTF_8);
        String updated = DecisionTableFile.withRows(name, text, List.of(List.of("3000", "8", "diamond"),
                List.of("800.50", "3", "gold")));
        DecisionTableFile.Table t = DecisionTableFile.read(name, updated);
        assertThat(t.rows()).containsExactly(List.of("3000", "8", "diamond"), List.of("800.5", "3", "gold"));
        assertThat(updated).contains("\"$c.level(\"\"$param\"\", kcontext);\"");
        assertThatThrownBy(() -> DecisionTableFile.withRows(name, text, List.of(List.of("1", "1", "gold\"); x(\""))))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> DecisionTableFile.withRows(name, text, List.of(List.of("1 || true", "1", "gold"))))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> DecisionTableFile.withRows(name, text, List.of(List.of("1", "1"))))
                .isInstanceOf(InvalidInputException.class);
        SortedMap<String, byte[]> edited = new TreeMap<>(files);
        edited.put(name, updated.getBytes(StandardCharsets.UTF_8));
        edited.keySet().removeIf(n -> n.startsWith("tests/"));
        assertThat(RuleSet.build(edited, 200).problems()).isEmpty();
    }

    @Test
    void percentileRanksInterpolateAndSplitTies() {
        double[] sample = new double[1000];
        for (int i = 0; i < 1000; i++) sample[i] = i < 400 ? 1 : i; // 40% share the value 1
        double[] table = Population.table(sample, 101);
        assertThat(Population.rank(table, 1)).isBetween(0.18, 0.22);
        assertThat(Population.rank(table, 700)).isBetween(0.69, 0.71);
        assertThat(Population.rank(table, 5000)).isEqualTo(1.0);
        assertThat(Population.rank(table, 0)).isEqualTo(0.0);
        assertThat(Population.quantile(sample, 0.8)).isBetween(799.0, 800.0);
    }
}
