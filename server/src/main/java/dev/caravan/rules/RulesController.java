package dev.caravan.rules;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import dev.caravan.common.audit.AuditEvent;
import dev.caravan.common.job.Job;
import dev.caravan.common.job.JobService;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.FieldError;
import dev.caravan.common.web.NotFoundException;
import dev.caravan.common.web.ProblemHandler;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Rule files, versions, validation, dry runs and evaluations. Raw DRL and spreadsheets can contain code, so only
 * ADMIN uploads files; MARKETER edits decision-table cells and named parameters through typed endpoints whose
 * values are validated (numbers and ids only) before they are written into the files.
 */
@RestController
@RequestMapping("/api/v1/rules")
@Tag(name = "Rules", description = "Drools rules that classify customers: files, typed edits, validation, dry runs, "
        + "versions, rollback and evaluations")
public class RulesController {

    private final RulesService rules;
    private final FullEvaluations evaluations;
    private final JobService jobs;
    private final ApplicationEventPublisher events;

    public RulesController(RulesService rules, FullEvaluations evaluations, JobService jobs,
                           ApplicationEventPublisher events) {
        this.rules = rules;
        this.evaluations = evaluations;
        this.jobs = jobs;
        this.events = events;
    }

    // ---- request and response shapes ----

    /** A file in a candidate: text, or base64 for spreadsheets; {@code delete} removes it from the set. */
    public record CandidateFile(String name, String content, String encoding, Boolean delete) {
    }

    /**
     * Changes relative to the active version. {@code files} needs ADMIN; {@code parameters} (name to number) and
     * {@code tables} (CSV decision table name to rows of cells) are typed edits open to MARKETER.
     */
    public record Candidate(List<CandidateFile> files, Map<String, Object> parameters,
                            Map<String, List<List<String>>> tables, String comment) {
    }

    public record FileInfo(String name, String kind, int bytes) {
    }

    public record RuleSetView(long version, java.time.Instant activatedAt, String activatedBy, List<FileInfo> files,
                              Map<String, ParameterFile.Definition> parameters) {
    }

    public record ValidationView(boolean valid, List<RuleProblem> errors, List<Scenarios.Result> scenarios) {
    }

    public record Activated(long version, String author, String comment, java.time.Instant createdAt,
                            List<RuleVersion.FileChange> changes, String evaluationJobId) {
    }

    public record VersionSummary(long version, boolean active, String author, String comment, java.time.Instant createdAt,
                                 Long basedOn, List<Map<String, String>> changes) {
    }

    public record ParametersUpdate(Map<String, Object> values, String comment) {
    }

    public record TableUpdate(List<List<String>> rows, String comment) {
    }

    public record ActivateRequest(String comment) {
    }

    // ---- reading ----

    @GetMapping
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "The active rule version, its files and parameters")
    public RuleSetView active() {
        RuleSet set = rules.current();
        ActiveVersion pointer = rules.pointer();
        List<FileInfo> files = new ArrayList<>();
        set.files().forEach((name, bytes) -> files.add(new FileInfo(name, RuleFiles.kindOf(name).name().toLowerCase(),
                bytes.length)));
        return new RuleSetView(set.version(), pointer == null ? null : pointer.activatedAt(),
                pointer == null ? null : pointer.activatedBy(), files, set.parameters());
    }

    @GetMapping("/files/{*name}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "One file of the active version (or of ?version=N)")
    public ResponseEntity<byte[]> file(@PathVariable String name,
                                       @RequestParam(required = false) Long version) {
        String n = strip(name);
        SortedMap<String, byte[]> files = version == null ? rules.current().files()
                : RulesService.filesOf(rules.version(version));
        byte[] bytes = files.get(n);
        if (bytes == null) throw new NotFoundException("rule file " + n + " not found");
        MediaType type = RuleFiles.isBinary(n) ? MediaType.APPLICATION_OCTET_STREAM
                : new MediaType("text", "plain", StandardCharsets.UTF_8);
        return ResponseEntity.ok().contentType(type).body(bytes);
    }

    // ---- raw files (ADMIN) ----

    @PutMapping(value = "/files/{*name}", consumes = MediaType.ALL_VALUE)
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Upload a rule file and activate the result as a new version",
            description = "Validates (compile + scenario tests) first: a broken file is refused with 422 listing "
                    + "file, line and message, and the active version keeps serving. DRL, spreadsheets and "
                    + "parameters.yaml need ADMIN; MARKETER may upload scenario tests (tests/*.yaml, tests/*.csv), "
                    + "which are data only.")
    public Activated putFile(@PathVariable String name,
                             @Parameter(description = "why; kept with the version") @RequestParam(required = false) String comment,
                             @RequestBody byte[] body, Authentication auth) {
        String n = strip(name);
        requireMayUpload(n, auth);
        Principal principal = auth;
        return activate(rules.candidate(Map.of(n, body)), principal, comment == null ? "uploaded " + n : comment);
    }

    @DeleteMapping("/files/{*name}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Remove a rule file and activate the result as a new version",
            description = "Same roles as uploading the file.")
    public Activated deleteFile(@PathVariable String name, @RequestParam(required = false) String comment,
                                Authentication auth) {
        String n = strip(name);
        requireMayUpload(n, auth);
        Principal principal = auth;
        if (!rules.current().files().containsKey(n)) throw new NotFoundException("rule file " + n + " not found");
        Map<String, byte[]> change = new LinkedHashMap<>();
        change.put(n, null);
        return activate(rules.candidate(change), principal, comment == null ? "removed " + n : comment);
    }

    // ---- typed edits (MARKETER) ----

    @GetMapping("/parameters")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Named rule parameters with their bounds")
    public Map<String, ParameterFile.Definition> parameters() {
        return rules.parameters();
    }

    @PutMapping("/parameters")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Change parameter values (typed) and activate the result as a new version",
            description = "Each value must be a number within the parameter's min and max.")
    public Activated putParameters(@RequestBody ParametersUpdate update, Principal principal) {
        if (update == null || update.values() == null || update.values().isEmpty()) {
            throw new BadRequestException("values is required: a map of parameter name to number");
        }
        Map<String, byte[]> changes = typedChanges(update.values(), Map.of());
        return activate(rules.candidate(changes), principal,
                update.comment() == null ? "changed parameters " + update.values().keySet() : update.comment());
    }

    @GetMapping("/tables")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "The CSV decision tables that can be edited cell by cell")
    public List<String> tables() {
        return rules.current().files().keySet().stream()
                .filter(n -> RuleFiles.kindOf(n) == RuleFiles.Kind.TABLE_CSV).toList();
    }

    @GetMapping("/tables/{*name}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "A decision table as typed columns and rows of cells")
    public DecisionTableFile.Table table(@PathVariable String name) {
        String n = strip(name);
        return DecisionTableFile.read(n, RuleFiles.text(csvTable(n)));
    }

    @PutMapping("/tables/{*name}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Replace a decision table's rows (typed) and activate the result as a new version",
            description = "Cells are validated against their column: numbers for numeric conditions, lowercase ids "
                    + "for quoted values such as the level. Templates and code stay as the ADMIN wrote them.")
    public Activated putTable(@PathVariable String name, @RequestBody TableUpdate update, Principal principal) {
        String n = strip(name);
        if (update == null || update.rows() == null) throw new BadRequestException("rows is required");
        Map<String, byte[]> changes = typedChanges(Map.of(), Map.of(n, update.rows()));
        return activate(rules.candidate(changes), principal,
                update.comment() == null ? "edited table " + n : update.comment());
    }

    // ---- validation and dry runs ----

    @PostMapping("/validate")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Compile a candidate and run the scenario tests; nothing is activated",
            description = "200 with scenario results when valid, 422 listing every error (file, line, message) and "
                    + "failing scenario otherwise. Raw files need ADMIN.")
    public ResponseEntity<ValidationView> validate(@RequestBody Candidate candidate, Authentication auth) {
        RuleSet.Validation v = rules.validate(candidateFiles(candidate, auth));
        ValidationView view = new ValidationView(v.valid(), v.problems(), v.scenarios());
        return ResponseEntity.status(v.valid() ? HttpStatus.OK : HttpStatus.UNPROCESSABLE_CONTENT).body(view);
    }

    @PostMapping("/dry-run")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Evaluate a candidate against every stored customer without writing",
            description = "Returns how many customers would change tier, lifecycle, level and tags (from -> to counts) "
                    + "with sample customer ids. An empty candidate dry-runs the active version.")
    public Map<String, Object> dryRun(@RequestBody(required = false) Candidate candidate, Authentication auth) {
        Candidate c = candidate == null ? new Candidate(null, null, null, null) : candidate;
        RuleSet.Validation v = rules.validate(candidateFiles(c, auth));
        if (!v.valid()) throw new RulesRejectedException("the candidate is invalid", v);
        return evaluations.dryRun(v.ruleSet());
    }

    // ---- versions ----

    @GetMapping("/versions")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Every stored version, newest first")
    public List<VersionSummary> versions() {
        long active = rules.activeVersion();
        return rules.versions().stream().map(v -> new VersionSummary(v.version(), v.version() == active, v.author(),
                v.comment(), v.createdAt(), v.basedOn(), v.changes() == null ? List.of() : v.changes().stream()
                .map(c -> Map.of("name", c.name(), "change", c.change())).toList())).toList();
    }

    @GetMapping("/versions/{version}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "One version with its file names and diff against the version it was based on")
    public Map<String, Object> version(@PathVariable long version) {
        RuleVersion v = rules.version(version);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", v.version());
        m.put("active", v.version() == rules.activeVersion());
        m.put("author", v.author());
        m.put("comment", v.comment());
        m.put("createdAt", v.createdAt());
        m.put("basedOn", v.basedOn());
        m.put("files", v.files().stream().map(RuleVersion.StoredFile::name).toList());
        m.put("changes", v.changes());
        return m;
    }

    @PostMapping("/versions/{version}/activate")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Activate a stored version again (rollback)")
    public Activated activateVersion(@PathVariable long version, @RequestBody(required = false) ActivateRequest request,
                                     Principal principal) {
        SortedMap<String, byte[]> before = rules.current().files();
        long previous = rules.activeVersion();
        RuleVersion v = rules.activate(version, principal.getName(), request == null ? null : request.comment());
        events.publishEvent(AuditEvent.change(AuditEvent.Actions.RULES_ACTIVATE, "rules:v" + v.version(),
                "activated rule version " + v.version() + " (was " + previous + ")"
                        + (request == null || request.comment() == null ? "" : ": " + request.comment()),
                auditTexts(before), auditTexts(RulesService.filesOf(v))).with(Map.of("version", v.version(),
                "previousVersion", previous)));
        return new Activated(v.version(), v.author(), v.comment(), v.createdAt(), v.changes(), runningEvaluation());
    }

    // ---- evaluations ----

    @PostMapping("/evaluations")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Start a full re-evaluation of every customer (a job with progress)",
            description = "Only changed customers are written. If one is already running, that job is returned.")
    public Job evaluate(Principal principal) {
        return evaluations.submit(principal.getName(), "on demand");
    }

    @GetMapping("/evaluations/{id}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Progress and counters of a full re-evaluation")
    public Job evaluation(@PathVariable String id) {
        return evaluations.get(id);
    }

    // ---- helpers ----

    private Activated activate(Map<String, byte[]> files, Principal principal, String comment) {
        SortedMap<String, byte[]> before = rules.current().files();
        long previous = rules.activeVersion();
        RuleVersion v = rules.createAndActivate(files, principal.getName(), comment);
        events.publishEvent(AuditEvent.change(AuditEvent.Actions.RULES_CHANGE, "rules:v" + v.version(),
                "rule version " + v.version() + " created and activated: " + comment, auditTexts(before),
                auditTexts(files)).with(Map.of("version", v.version(), "previousVersion", previous)));
        return new Activated(v.version(), v.author(), v.comment(), v.createdAt(), v.changes(), runningEvaluation());
    }

    /** Rule files as texts for the audit diff; spreadsheets as a one-line fingerprint. */
    static Map<String, String> auditTexts(Map<String, byte[]> files) {
        Map<String, String> out = new LinkedHashMap<>();
        files.forEach((name, bytes) -> out.put(name, RuleFiles.isBinary(name)
                ? "(binary file, " + bytes.length + " bytes, sha256 " + sha256(bytes) + ")" : RuleFiles.text(bytes)));
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String runningEvaluation() {
        return jobs.unfinished(FullEvaluations.JOB_KIND).stream().map(Job::getId).findFirst().orElse(null);
    }

    private Map<String, byte[]> candidateFiles(Candidate c, Authentication auth) {
        Map<String, byte[]> changes = new LinkedHashMap<>();
        if (c.files() != null && !c.files().isEmpty()) {
            List<FieldError> errors = new ArrayList<>();
            for (int i = 0; i < c.files().size(); i++) {
                CandidateFile f = c.files().get(i);
                try {
                    RuleFiles.kindOf(f == null ? null : f.name());
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError("files[" + i + "].name", e.getMessage()));
                    continue;
                }
                requireMayUpload(f.name(), auth);
                if (Boolean.TRUE.equals(f.delete())) {
                    changes.put(f.name(), null);
                } else if (f.content() == null) {
                    errors.add(new FieldError("files[" + i + "].content", "is required (or delete: true)"));
                } else if ("base64".equalsIgnoreCase(f.encoding())) {
                    try {
                        changes.put(f.name(), Base64.getDecoder().decode(f.content()));
                    } catch (IllegalArgumentException e) {
                        errors.add(new FieldError("files[" + i + "].content", "is not valid base64"));
                    }
                } else {
                    changes.put(f.name(), f.content().getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!errors.isEmpty()) throw new BadRequestException("some candidate files are invalid", errors);
        }
        SortedMap<String, byte[]> files = rules.candidate(changes);
        Map<String, byte[]> typed = typedChanges(c.parameters() == null ? Map.of() : c.parameters(),
                c.tables() == null ? Map.of() : c.tables(), files);
        files.putAll(typed);
        return files;
    }

    private Map<String, byte[]> typedChanges(Map<String, Object> parameters, Map<String, List<List<String>>> tables) {
        return typedChanges(parameters, tables, rules.current().files());
    }

    /** Applies typed parameter and table edits to the given files; only validated numbers and ids are written. */
    private Map<String, byte[]> typedChanges(Map<String, Object> parameters, Map<String, List<List<String>>> tables,
                                             Map<String, byte[]> base) {
        Map<String, byte[]> changes = new LinkedHashMap<>();
        if (!parameters.isEmpty()) {
            byte[] file = base.get(RuleFiles.PARAMETERS);
            if (file == null) throw new NotFoundException("the rule set has no parameters.yaml");
            String text = RuleFiles.text(file);
            List<RuleProblem> problems = new ArrayList<>();
            Map<String, ParameterFile.Definition> defs = ParameterFile.parse(RuleFiles.PARAMETERS, text, problems);
            String updated;
            try {
                updated = ParameterFile.withValues(text, defs, parameters);
            } catch (IllegalStateException e) {
                throw new dev.caravan.common.web.ConflictException(e.getMessage());
            }
            changes.put(RuleFiles.PARAMETERS, updated.getBytes(StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, List<List<String>>> t : tables.entrySet()) {
            String name = strip(t.getKey());
            byte[] file = base.get(name);
            if (file == null || RuleFiles.kindOf(name) != RuleFiles.Kind.TABLE_CSV) {
                throw new NotFoundException("no CSV decision table " + name + " in the rule set");
            }
            changes.put(name, DecisionTableFile.withRows(name, RuleFiles.text(file), t.getValue())
                    .getBytes(StandardCharsets.UTF_8));
        }
        return changes;
    }

    private byte[] csvTable(String name) {
        byte[] file = rules.current().files().get(name);
        if (file == null || RuleFiles.kindOf(name) != RuleFiles.Kind.TABLE_CSV) {
            throw new NotFoundException("no CSV decision table " + name + " in the rule set (spreadsheets are edited "
                    + "by uploading the file)");
        }
        return file;
    }

    /** DRL, spreadsheets and parameter definitions can carry code or bounds: ADMIN only. Scenario tests are data. */
    private static void requireMayUpload(String name, Authentication auth) {
        RuleFiles.Kind kind = RuleFiles.kindOf(name);
        boolean admin = auth.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN"));
        if (!admin && kind != RuleFiles.Kind.SCENARIOS_YAML && kind != RuleFiles.Kind.SCENARIOS_CSV) {
            throw new AccessDeniedException("rule files and spreadsheets can contain code: only ADMIN may upload "
                    + name + "; MARKETER edits tables and parameters through /tables and /parameters");
        }
    }

    private static String strip(String name) {
        String n = name == null ? "" : name;
        while (n.startsWith("/")) n = n.substring(1);
        return n;
    }

    @ExceptionHandler(RulesRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RulesRejectedException e) {
        ProblemDetail p = ProblemHandler.problem(HttpStatus.UNPROCESSABLE_CONTENT, "Rules rejected", e.getMessage(),
                List.of());
        p.setProperty("errors", e.validation().problems());
        p.setProperty("scenarios", e.validation().scenarios().stream().filter(s -> !s.passed()).toList());
        p.setProperty("activeVersion", rules.activeVersion());
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
