package dev.caravan.rules;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.drools.decisiontable.InputType;
import org.drools.decisiontable.SpreadsheetCompiler;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.runtime.KieContainer;
import org.kie.api.KieBase;

/**
 * Compiles the DRL files and decision tables of a rule set with the classic KIE API (KieFileSystem + KieBuilder).
 * Every problem comes back with its file and line; nothing is swapped in unless the whole set compiles.
 */
final class RuleCompiler {

    private static final AtomicLong BUILDS = new AtomicLong();
    private static final Pattern LINE_COLUMN = Pattern.compile("\\[Line: (\\d+), Column: (\\d+)]");

    record Result(KieBase kieBase, List<RuleProblem> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private RuleCompiler() {
    }

    static Result compile(Map<String, byte[]> files) {
        List<RuleProblem> problems = new ArrayList<>();
        KieServices ks = KieServices.Factory.get();
        KieFileSystem kfs = ks.newKieFileSystem();
        ReleaseId releaseId = ks.newReleaseId("dev.caravan.rules", "ruleset", "1.0." + BUILDS.incrementAndGet());
        kfs.generateAndWritePomXML(releaseId);
        int compiled = 0;
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            RuleFiles.Kind kind = RuleFiles.kindOf(e.getKey());
            if (!RuleFiles.compiled(kind)) continue;
            if (kind != RuleFiles.Kind.DRL) {
                // Decision tables: convert first, so a malformed table is reported against the table itself.
                try {
                    new SpreadsheetCompiler().compile(new ByteArrayInputStream(e.getValue()),
                            kind == RuleFiles.Kind.TABLE_CSV ? InputType.CSV : InputType.XLS);
                } catch (RuntimeException ex) {
                    problems.add(new RuleProblem(e.getKey(), 0, "the decision table cannot be read: " + message(ex)));
                    continue;
                }
            }
            kfs.write(Provenance.RESOURCE_ROOT + e.getKey(), e.getValue());
            compiled++;
        }
        if (!problems.isEmpty()) {
            return new Result(null, problems);
        }
        if (compiled == 0) {
            return new Result(null, List.of(new RuleProblem("", 0, "the rule set has no .drl or decision table file")));
        }
        KieBuilder builder = ks.newKieBuilder(kfs).buildAll();
        for (Message m : builder.getResults().getMessages(Message.Level.ERROR)) {
            problems.add(problem(m));
        }
        if (!problems.isEmpty()) {
            ks.getRepository().removeKieModule(releaseId);
            return new Result(null, problems);
        }
        KieContainer container = ks.newKieContainer(releaseId);
        KieBase kieBase = container.getKieBase();
        ks.getRepository().removeKieModule(releaseId);
        return new Result(kieBase, List.of());
    }

    private static RuleProblem problem(Message m) {
        String path = m.getPath() == null ? "" : m.getPath();
        if (path.startsWith(Provenance.RESOURCE_ROOT)) path = path.substring(Provenance.RESOURCE_ROOT.length());
        int line = m.getLine();
        String text = m.getText() == null ? "" : m.getText().trim();
        // MVEL constraint errors carry the precise line inside the message; prefer it over the rule's start line.
        Matcher lc = LINE_COLUMN.matcher(text);
        if (lc.find() && line <= 0) {
            line = Integer.parseInt(lc.group(1));
        }
        return new RuleProblem(path, Math.max(line, 0), text.replaceAll("\\s+", " "));
    }

    static String message(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.length() > 500 ? m.substring(0, 500) + "..." : m;
    }
}
