package dev.caravan.console;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.FieldError;
import dev.caravan.rules.DecisionTableFile;
import dev.caravan.rules.RuleFiles;
import dev.caravan.rules.RuleProblem;
import dev.caravan.rules.RulesController;
import dev.caravan.rules.Scenarios;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The rule set: files and versions, the decision-table grid (typed cells; MARKETER), the DRL editor with inline
 * validation errors (ADMIN), scenario runs, dry-run diffs before activating, activation, rollback and version
 * diffs. Everything goes through {@link RulesController}, so the API's split between typed edits (MARKETER) and raw
 * files (ADMIN) holds here too.
 */
@Controller
@Hidden
@RequestMapping("/rules")
class RulesPages {

    private final RulesController rules;

    RulesPages(RulesController rules) {
        this.rules = rules;
    }

    @GetMapping
    String overview(Model model) {
        model.addAttribute("set", rules.active());
        model.addAttribute("tables", rules.tables());
        model.addAttribute("versions", rules.versions().stream().limit(10).toList());
        return "console/rules/index";
    }

    // ---- decision tables (typed cells) ----

    @GetMapping("/table")
    String table(@RequestParam String name, Model model) {
        DecisionTableFile.Table t = rules.table(name);
        model.addAttribute("name", name);
        model.addAttribute("table", t);
        model.addAttribute("rows", t.rows());
        model.addAttribute("cellErrors", Map.of());
        return "console/rules/table";
    }

    /** Rows from the grid's inputs: every cell is an input named {@code cell}, in row order, {@code cols} per row. */
    static List<List<String>> rows(List<String> cells, int cols) {
        List<List<String>> rows = new ArrayList<>();
        if (cells == null || cols <= 0) return rows;
        for (int i = 0; i + cols <= cells.size(); i += cols) rows.add(new ArrayList<>(cells.subList(i, i + cols)));
        return rows;
    }

    /** Field errors {@code rows[r][c]} as "r-c" → message, for marking the grid's cells. */
    static Map<String, String> cellErrors(List<FieldError> errors) {
        Map<String, String> out = new LinkedHashMap<>();
        for (FieldError e : errors) {
            var m = java.util.regex.Pattern.compile("rows\\[(\\d+)](?:\\[(\\d+)])?").matcher(e.field());
            if (m.matches()) out.merge(m.group(1) + "-" + (m.group(2) == null ? "row" : m.group(2)), e.message(),
                    (a, b) -> a + "; " + b);
            else out.merge("all", e.message(), (a, b) -> a + "; " + b);
        }
        return out;
    }

    @PostMapping("/table/dry-run")
    String tableDryRun(@RequestParam String name, @RequestParam(name = "cell", required = false) List<String> cells,
                       @RequestParam int cols, Model model) {
        RulesController.Candidate candidate = new RulesController.Candidate(null, null,
                Map.of(name, rows(cells, cols)), null);
        return dryRun(candidate, name, model);
    }

    @PostMapping("/table")
    String saveTable(@RequestParam String name, @RequestParam(name = "cell", required = false) List<String> cells,
                     @RequestParam int cols, @RequestParam(required = false) String comment, Model model,
                     RedirectAttributes redirect) {
        List<List<String>> rows = rows(cells, cols);
        try {
            RulesController.Activated a = rules.putTable(name, new RulesController.TableUpdate(rows, blank(comment)),
                    Auth.current());
            return activated(a, model, redirect);
        } catch (BadRequestException e) {
            model.addAttribute("name", name);
            model.addAttribute("table", rules.table(name));
            model.addAttribute("rows", rows);
            model.addAttribute("cellErrors", cellErrors(e.errors()));
            model.addAttribute("problem", e.getMessage());
            return "console/rules/table";
        }
    }

    // ---- parameters (typed numbers) ----

    @PostMapping("/parameters/dry-run")
    String parametersDryRun(@RequestParam Map<String, String> form, Model model) {
        return dryRun(new RulesController.Candidate(null, parameterValues(form), null, null), null, model);
    }

    @PostMapping("/parameters")
    String saveParameters(@RequestParam Map<String, String> form, Model model, RedirectAttributes redirect) {
        RulesController.Activated a = rules.putParameters(
                new RulesController.ParametersUpdate(parameterValues(form), blank(form.get("comment"))), Auth.current());
        return activated(a, model, redirect);
    }

    /** Inputs named {@code p.<parameter>}; only changed values are sent (the API checks each against its bounds). */
    private Map<String, Object> parameterValues(Map<String, String> form) {
        Map<String, Object> values = new LinkedHashMap<>();
        var defs = rules.parameters();
        form.forEach((k, v) -> {
            if (!k.startsWith("p.") || v == null || v.isBlank()) return;
            String name = k.substring(2);
            var def = defs.get(name);
            try {
                double d = Double.parseDouble(v.trim());
                if (def == null || d != def.value()) values.put(name, d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : d);
            } catch (NumberFormatException e) {
                values.put(name, v.trim()); // the API names the bad value
            }
        });
        if (values.isEmpty()) throw new BadRequestException("no parameter was changed");
        return values;
    }

    // ---- files (DRL and scenarios; raw files need ADMIN, scenario files MARKETER too) ----

    @GetMapping("/file")
    String file(@RequestParam String name, @RequestParam(required = false) Long version, Model model) {
        ResponseEntity<byte[]> f = rules.file(name, version);
        model.addAttribute("name", name);
        model.addAttribute("version", version);
        model.addAttribute("kind", RuleFiles.kindOf(name).name());
        model.addAttribute("binary", RuleFiles.isBinary(name));
        model.addAttribute("fileText", RuleFiles.isBinary(name) ? "" : new String(f.getBody(), StandardCharsets.UTF_8));
        model.addAttribute("editable", version == null && mayUpload(name, (Me) model.getAttribute("me")));
        return "console/rules/file";
    }

    static boolean mayUpload(String name, Me me) {
        if (me == null) return false;
        RuleFiles.Kind kind = RuleFiles.kindOf(name);
        boolean scenario = kind == RuleFiles.Kind.SCENARIOS_YAML || kind == RuleFiles.Kind.SCENARIOS_CSV;
        return me.admin() || (scenario && me.any("MARKETER")) ;
    }

    /** The validation of an edited file: problems with their lines (marked in the editor) and scenario results. */
    @PostMapping("/file/validate")
    String validateFile(@RequestParam String name, @RequestParam String content, Model model) {
        var candidate = fileCandidate(name, content);
        ResponseEntity<RulesController.ValidationView> v = rules.validate(candidate, Auth.current());
        addValidation(model, v.getBody(), name);
        return "console/rules/results :: validation";
    }

    @PostMapping("/file/dry-run")
    String fileDryRun(@RequestParam String name, @RequestParam String content, Model model) {
        return dryRun(fileCandidate(name, content), name, model);
    }

    @PostMapping("/file")
    String saveFile(@RequestParam String name, @RequestParam String content, @RequestParam(required = false) String comment,
                    Model model, RedirectAttributes redirect) {
        var candidate = fileCandidate(name, content);
        RulesController.ValidationView v = rules.validate(candidate, Auth.current()).getBody();
        if (v == null || !v.valid()) {
            model.addAttribute("name", name);
            model.addAttribute("version", null);
            model.addAttribute("kind", RuleFiles.kindOf(name).name());
            model.addAttribute("binary", false);
            model.addAttribute("fileText", content);
            model.addAttribute("editable", true);
            addValidation(model, v, name);
            return "console/rules/file";
        }
        RulesController.Activated a = rules.putFile(name, blank(comment), content.getBytes(StandardCharsets.UTF_8),
                Auth.current());
        return activated(a, model, redirect);
    }

    private static RulesController.Candidate fileCandidate(String name, String content) {
        return new RulesController.Candidate(List.of(new RulesController.CandidateFile(name,
                content.replace("\r\n", "\n"), null, null)), null, null, null);
    }

    private static void addValidation(Model model, RulesController.ValidationView v, String file) {
        List<RuleProblem> problems = v == null ? List.of() : v.errors();
        model.addAttribute("validation", v);
        model.addAttribute("problems", problems);
        model.addAttribute("problemLines", problems.stream().filter(p -> p.file() != null && p.file().equals(file)
                && p.line() > 0).map(RuleProblem::line).distinct().toList());
        model.addAttribute("failedScenarios", v == null ? List.of() : v.scenarios().stream().filter(s -> !s.passed()).toList());
        model.addAttribute("scenarioCount", v == null ? 0 : v.scenarios().size());
        model.addAttribute("editorId", "editor");
    }

    // ---- scenarios ----

    @GetMapping("/scenarios")
    String scenarios(Model model) {
        ResponseEntity<RulesController.ValidationView> v = rules.validate(
                new RulesController.Candidate(null, null, null, null), Auth.current());
        model.addAttribute("validation", v.getBody());
        List<Scenarios.Result> results = v.getBody() == null ? List.of() : v.getBody().scenarios();
        model.addAttribute("results", results);
        model.addAttribute("passed", results.stream().filter(Scenarios.Result::passed).count());
        return "console/rules/scenarios";
    }

    // ---- dry runs ----

    /** A transition row of a dry run: which field, from, to, how many customers, sample ids. */
    public record Transition(String field, String from, String to, long customers, List<String> samples) {
    }

    private String dryRun(RulesController.Candidate candidate, String file, Model model) {
        ResponseEntity<RulesController.ValidationView> v = rules.validate(candidate, Auth.current());
        addValidation(model, v.getBody(), file);
        if (v.getBody() == null || !v.getBody().valid()) {
            return "console/rules/results :: validation";
        }
        Map<String, Object> report = rules.dryRun(candidate, Auth.current());
        model.addAttribute("report", report);
        model.addAttribute("transitions", transitions(report));
        return "console/rules/results :: dryrun";
    }

    @SuppressWarnings("unchecked")
    static List<Transition> transitions(Map<String, Object> report) {
        Map<String, List<String>> samples = report.get("samples") instanceof Map<?, ?> s
                ? (Map<String, List<String>>) s : Map.of();
        List<Transition> out = new ArrayList<>();
        for (String field : List.of("tier", "lifecycle", "level")) {
            if (!(report.get(field) instanceof Map<?, ?> m)) continue;
            ((Map<String, Number>) m).forEach((k, n) -> {
                String[] parts = k.split(" -> ", 2);
                out.add(new Transition(field, value(parts[0]), parts.length > 1 ? value(parts[1]) : null, n.longValue(),
                        samples.getOrDefault(field + ": " + k, List.of())));
            });
        }
        for (String[] f : new String[][]{{"tagsAdded", "tag+", "tag-added"}, {"tagsRemoved", "tag-", "tag-removed"},
                {"churnRisksDetected", "churn-risk", "churn-risk"}}) {
            if (!(report.get(f[0]) instanceof Map<?, ?> m)) continue;
            ((Map<String, Number>) m).forEach((k, n) -> out.add(new Transition(f[2], f[2].equals("tag-removed") ? k : null,
                    f[2].equals("tag-removed") ? null : k, n.longValue(), samples.getOrDefault(f[1] + ": " + k, List.of()))));
        }
        return out;
    }

    private static String value(String s) {
        return s == null || s.equals("null") ? null : s;
    }

    // ---- activation, versions, diffs ----

    private String activated(RulesController.Activated a, Model model, RedirectAttributes redirect) {
        Fmt fmt = (Fmt) model.getAttribute("fmt");
        redirect.addFlashAttribute("flash", fmt.msg("rules.activated", a.version()));
        if (a.evaluationJobId() != null) redirect.addFlashAttribute("evaluationJob", a.evaluationJobId());
        return "redirect:/rules";
    }

    @GetMapping("/evaluations/{id}")
    String evaluation(@PathVariable String id, Model model) {
        model.addAttribute("job", rules.evaluation(id));
        return "console/rules/results :: evaluation";
    }

    @GetMapping("/versions")
    String versions(Model model) {
        model.addAttribute("versions", rules.versions());
        return "console/rules/versions";
    }

    @PostMapping("/versions/{version}/activate")
    String rollback(@PathVariable long version, Model model, RedirectAttributes redirect) {
        var a = rules.activateVersion(version, new RulesController.ActivateRequest("rollback from the console"),
                Auth.current());
        return activated(a, model, redirect);
    }

    /** One line of a unified diff with its style. */
    public record DiffLine(String css, String text) {
    }

    public record FileDiff(String name, String change, List<DiffLine> lines) {
    }

    @GetMapping("/versions/{version}")
    @SuppressWarnings("unchecked")
    String version(@PathVariable long version, Model model) {
        Map<String, Object> v = rules.version(version);
        model.addAttribute("v", v);
        List<FileDiff> diffs = new ArrayList<>();
        Object changes = v.get("changes");
        if (changes instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof dev.caravan.rules.RuleVersion.FileChange fc) {
                    diffs.add(new FileDiff(fc.name(), fc.change(), lines(fc.diff())));
                }
            }
        }
        model.addAttribute("diffs", diffs);
        model.addAttribute("all", rules.versions());
        return "console/rules/version";
    }

    /** Compares any two versions file by file (the stored diffs only compare a version with its parent). */
    @GetMapping("/compare")
    @SuppressWarnings("unchecked")
    String compare(@RequestParam long from, @RequestParam long to, Model model) {
        List<String> a = (List<String>) rules.version(from).get("files");
        List<String> b = (List<String>) rules.version(to).get("files");
        List<FileDiff> diffs = new ArrayList<>();
        for (String name : new TreeSet<>(concat(a, b))) {
            String before = a.contains(name) ? text(name, from) : null;
            String after = b.contains(name) ? text(name, to) : null;
            if (before != null && before.equals(after)) continue;
            String change = before == null ? "added" : after == null ? "removed" : "modified";
            diffs.add(new FileDiff(name, change, lines(unified(name, before, after))));
        }
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        model.addAttribute("diffs", diffs);
        model.addAttribute("all", rules.versions());
        return "console/rules/compare";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private String text(String name, long version) {
        if (RuleFiles.isBinary(name)) return "(binary file, " + rules.file(name, version).getBody().length + " bytes)";
        return new String(rules.file(name, version).getBody(), StandardCharsets.UTF_8);
    }

    static String unified(String name, String before, String after) {
        List<String> a = before == null ? List.of() : List.of(before.split("\n", -1));
        List<String> b = after == null ? List.of() : List.of(after.split("\n", -1));
        var patch = DiffUtils.diff(a, b);
        return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff(name, name, a, patch, 3));
    }

    static List<DiffLine> lines(String diff) {
        List<DiffLine> out = new ArrayList<>();
        if (diff == null) return out;
        for (String l : diff.split("\n")) {
            String css = l.startsWith("@@") ? "hunk" : l.startsWith("+++") || l.startsWith("---") ? "hunk"
                    : l.startsWith("+") ? "add" : l.startsWith("-") ? "del" : "";
            out.add(new DiffLine(css, l));
        }
        return out;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static boolean isHtmx(HttpServletRequest r) {
        return Htmx.isHtmx(r);
    }
}
