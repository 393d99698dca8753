package dev.caravan.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.caravan.common.web.NotFoundException;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Holds the active rule set and its versions. A new version is compiled and its scenario tests run before anything
 * is stored; activation stores the version, moves the one {@code rule_active} pointer and swaps the compiled set in
 * one reference assignment, so an evaluation sees either the old or the new set, never a mix. On start the last
 * active version is loaded from the store; the packaged {@code rules/} folder only seeds an empty store.
 */
@Service
public class RulesService {

    private static final Logger log = LoggerFactory.getLogger(RulesService.class);
    static final String DEFAULTS_AUTHOR = "system";

    private final MongoTemplate mongo;
    private final RulesProperties props;
    private final Clock clock;
    private final AtomicReference<RuleSet> active = new AtomicReference<>();
    private final List<java.util.function.Consumer<Long>> activationListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public RulesService(MongoTemplate mongo, RulesProperties props, Clock clock) {
        this.mongo = mongo;
        this.props = props;
        this.clock = clock;
    }

    @PostConstruct
    void start() {
        reload();
    }

    /** The active, compiled rule set. */
    RuleSet current() {
        RuleSet set = active.get();
        if (set == null) {
            reload();
            set = active.get();
        }
        return set;
    }

    public long activeVersion() {
        return current().version();
    }

    void onActivation(java.util.function.Consumer<Long> listener) {
        activationListeners.add(listener);
    }

    /**
     * Loads the active version from the store (seeding version 1 from the packaged rules when the store has none).
     * Called on start, by the version poll and by tests after emptying the store.
     */
    public synchronized void reload() {
        ActiveVersion pointer = mongo.findById(ActiveVersion.ID, ActiveVersion.class);
        if (pointer == null) {
            RuleVersion latest = mongo.findOne(new Query().with(Sort.by(Sort.Direction.DESC, "_id")).limit(1),
                    RuleVersion.class);
            if (latest == null) {
                seedDefaults();
                return;
            }
            pointer = point(latest.version(), DEFAULTS_AUTHOR, "no active version was recorded; the latest is activated");
        }
        if (active.get() != null && active.get().version() == pointer.version()) {
            return;
        }
        RuleVersion v = mongo.findById(pointer.version(), RuleVersion.class);
        if (v == null) {
            throw new IllegalStateException("the active rule version " + pointer.version() + " is missing from the store");
        }
        RuleSet.Validation built = RuleSet.build(filesOf(v), props.maxFiringsPerCustomer());
        if (built.ruleSet() == null) {
            log.error("Rule version {} no longer compiles ({}); serving the packaged default rules until an ADMIN fixes it",
                    v.version(), built.problems());
            RuleSet.Validation defaults = RuleSet.build(packagedDefaults(), props.maxFiringsPerCustomer());
            active.set(defaults.ruleSet().withVersion(v.version()));
            return;
        }
        active.set(built.ruleSet().withVersion(v.version()));
        log.info("Rule version {} active ({} files)", v.version(), v.files().size());
    }

    private void seedDefaults() {
        SortedMap<String, byte[]> files = packagedDefaults();
        RuleSet.Validation built = RuleSet.build(files, props.maxFiringsPerCustomer());
        if (!built.valid()) {
            throw new IllegalStateException("the packaged default rules are invalid: " + built.problems() + " "
                    + built.scenarios().stream().filter(s -> !s.passed()).toList());
        }
        try {
            store(1, files, DEFAULTS_AUTHOR, "packaged default rules", null, Map.of());
        } catch (DuplicateKeyException e) {
            // another server or thread seeded at the same time
        }
        point(1, DEFAULTS_AUTHOR, "packaged default rules");
        active.set(built.ruleSet().withVersion(1));
        log.info("Rule version 1 seeded from the packaged default rules and activated");
    }

    /** The rules/ folder packaged in the server jar. */
    static SortedMap<String, byte[]> packagedDefaults() {
        SortedMap<String, byte[]> files = new TreeMap<>();
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources("classpath*:rules/**");
            for (Resource r : resources) {
                if (!r.isReadable() || r.getFilename() == null || r.getFilename().isEmpty()) continue;
                String url = r.getURL().toString();
                int at = url.lastIndexOf("/rules/");
                if (at < 0 || url.endsWith("/")) continue;
                String name = url.substring(at + "/rules/".length());
                try {
                    RuleFiles.kindOf(name);
                } catch (IllegalArgumentException e) {
                    continue; // READMEs and other files beside the rules
                }
                try (InputStream in = r.getInputStream()) {
                    files.put(name, in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Picks up activations made by other servers. */
    @Scheduled(fixedDelayString = "${caravan.rules.version-poll:10s}", initialDelayString = "${caravan.rules.version-poll:10s}")
    void poll() {
        try {
            ActiveVersion pointer = mongo.findById(ActiveVersion.ID, ActiveVersion.class);
            if (pointer == null || active.get() == null || pointer.version() != active.get().version()) {
                long before = active.get() == null ? -1 : active.get().version();
                reload();
                if (active.get() != null && active.get().version() != before) {
                    activationListeners.forEach(l -> l.accept(active.get().version()));
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not check the active rule version: {}", e.getMessage());
        }
    }

    // ---- candidates, validation, activation ----

    /** The active files with these changes applied: a null value removes the file. */
    SortedMap<String, byte[]> candidate(Map<String, byte[]> changes) {
        SortedMap<String, byte[]> files = new TreeMap<>(current().files());
        changes.forEach((name, bytes) -> {
            if (bytes == null) files.remove(name);
            else files.put(name, bytes);
        });
        return files;
    }

    RuleSet.Validation validate(Map<String, byte[]> files) {
        return RuleSet.build(files, props.maxFiringsPerCustomer());
    }

    /** Validates, stores as the next version and activates it. Throws {@link RulesRejectedException} when invalid. */
    synchronized RuleVersion createAndActivate(Map<String, byte[]> files, String author, String comment) {
        RuleSet current = current();
        if (sameFiles(current.files(), files)) {
            throw new dev.caravan.common.web.ConflictException("the candidate is identical to the active version "
                    + current.version() + "; nothing to activate");
        }
        RuleSet.Validation v = validate(files);
        if (!v.valid()) {
            throw new RulesRejectedException(v.problems().isEmpty()
                    ? v.failedScenarios() + " scenario test(s) failed; the active version " + current.version() + " keeps serving"
                    : "the rules have " + v.problems().size() + " problem(s); the active version " + current.version()
                    + " keeps serving", v);
        }
        RuleVersion stored = null;
        for (int attempt = 0; stored == null && attempt < 5; attempt++) {
            long next = latestVersion() + 1;
            try {
                stored = store(next, files, author, comment, current.version(), current.files());
            } catch (DuplicateKeyException e) {
                // another server took the number; try the next one
            }
        }
        if (stored == null) throw new IllegalStateException("could not allocate a rule version number");
        point(stored.version(), author, comment);
        active.set(v.ruleSet().withVersion(stored.version()));
        log.info("Rule version {} activated by {}: {}", stored.version(), author, comment);
        long version = stored.version();
        activationListeners.forEach(l -> l.accept(version));
        return stored;
    }

    /** Activates a stored version again (rollback or roll forward). */
    synchronized RuleVersion activate(long version, String actor, String comment) {
        RuleVersion v = version(version);
        RuleSet.Validation built = validate(filesOf(v));
        if (!built.valid()) {
            throw new RulesRejectedException("version " + version + " no longer passes validation", built);
        }
        point(version, actor, comment == null ? "activated version " + version : comment);
        active.set(built.ruleSet().withVersion(version));
        log.info("Rule version {} activated again by {}", version, actor);
        activationListeners.forEach(l -> l.accept(version));
        return v;
    }

    public List<RuleVersion> versions() {
        Query q = new Query().with(Sort.by(Sort.Direction.DESC, "_id"));
        q.fields().exclude("files");
        return mongo.find(q, RuleVersion.class);
    }

    public RuleVersion version(long version) {
        RuleVersion v = mongo.findById(version, RuleVersion.class);
        if (v == null) throw new NotFoundException("rule version " + version + " not found");
        return v;
    }

    public ActiveVersion pointer() {
        return mongo.findById(ActiveVersion.ID, ActiveVersion.class);
    }

    static SortedMap<String, byte[]> filesOf(RuleVersion v) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        v.files().forEach(f -> files.put(f.name(), f.bytes()));
        return files;
    }

    private long latestVersion() {
        RuleVersion latest = mongo.findOne(new Query().with(Sort.by(Sort.Direction.DESC, "_id")).limit(1), RuleVersion.class);
        return latest == null ? 0 : latest.version();
    }

    private RuleVersion store(long version, Map<String, byte[]> files, String author, String comment, Long basedOn,
                              Map<String, byte[]> before) {
        List<RuleVersion.StoredFile> stored = new ArrayList<>();
        new TreeMap<>(files).forEach((name, bytes) -> stored.add(RuleFiles.isBinary(name)
                ? new RuleVersion.StoredFile(name, null, bytes)
                : new RuleVersion.StoredFile(name, RuleFiles.text(bytes), null)));
        RuleVersion v = new RuleVersion(version, stored, author, comment == null ? "" : comment, clock.instant(),
                basedOn, diff(before, files));
        return mongo.insert(v);
    }

    private ActiveVersion point(long version, String by, String comment) {
        Instant now = clock.instant();
        Update u = new Update().set("version", version).set("activatedAt", now).set("activatedBy", by)
                .push("history").slice(-200).each(new ActiveVersion.Activation(version, now, by, comment));
        return mongo.findAndModify(Query.query(Criteria.where("_id").is(ActiveVersion.ID)), u,
                FindAndModifyOptions.options().upsert(true).returnNew(true), ActiveVersion.class);
    }

    static List<RuleVersion.FileChange> diff(Map<String, byte[]> before, Map<String, byte[]> after) {
        List<RuleVersion.FileChange> out = new ArrayList<>();
        java.util.SortedSet<String> names = new java.util.TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            byte[] a = before.get(name);
            byte[] b = after.get(name);
            if (a != null && b != null && Arrays.equals(a, b)) continue;
            String change = a == null ? "added" : b == null ? "removed" : "modified";
            String diff;
            if (RuleFiles.isBinary(name)) {
                diff = "binary file " + change + " (" + (b == null ? 0 : b.length) + " bytes)";
            } else {
                List<String> from = a == null ? List.of() : List.of(RuleFiles.text(a).split("\n", -1));
                List<String> to = b == null ? List.of() : List.of(RuleFiles.text(b).split("\n", -1));
                diff = String.join("\n", UnifiedDiffUtils.generateUnifiedDiff("a/" + name, "b/" + name, from,
                        DiffUtils.diff(from, to), 3));
            }
            out.add(new RuleVersion.FileChange(name, change, diff));
        }
        return out;
    }

    private static boolean sameFiles(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) return false;
        return a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.get(e.getKey())));
    }

    // ---- decisions about other features' facts ----

    /**
     * Runs facts of another feature through the active rule set in one session, with the {@link Params} fact, for
     * rules and decision tables written about those facts (loyalty's earn rates: {@code loyalty/earn-rates.drl.csv}
     * on {@code dev.caravan.loyalty.EarnFact}). The facts record what the rules decided; customer rules do not fire
     * because no {@link CustomerFact} is inserted. A rule set looping on these facts stops at the firing limit and
     * is reported with an {@link IllegalStateException}.
     *
     * @return the rule version that decided
     */
    public long decide(java.util.Collection<?> facts) {
        RuleSet set = current();
        if (facts.isEmpty()) return set.version();
        int limit = (int) Math.min(Integer.MAX_VALUE, (long) props.maxFiringsPerCustomer() * facts.size());
        org.kie.api.runtime.KieSession session = set.kieBase().newKieSession();
        try {
            session.insert(set.params());
            facts.forEach(session::insert);
            int fired = session.fireAllRules(limit);
            if (fired >= limit) {
                throw new IllegalStateException("rule version " + set.version() + " fired " + fired
                        + " times for " + facts.size() + " fact(s): a looping rule");
            }
        } finally {
            session.dispose();
        }
        return set.version();
    }

    /** A named parameter of the active rule set ({@code parameters.yaml}), empty when the set has none by that name. */
    public java.util.OptionalDouble parameter(String name) {
        Params p = current().params();
        return p.has(name) ? java.util.OptionalDouble.of(p.num(name)) : java.util.OptionalDouble.empty();
    }

    /** Parameters of the active set in file order. */
    Map<String, ParameterFile.Definition> parameters() {
        return new LinkedHashMap<>(current().parameters());
    }
}
