package dev.caravan.rules;

import java.util.Map;

import org.drools.base.definitions.rule.impl.RuleImpl;
import org.kie.api.definition.rule.Rule;
import org.kie.api.io.Resource;
import org.kie.api.runtime.rule.RuleContext;

/** Which rule file and rule decided a value, read from the firing rule (cached per compiled rule). */
final class Provenance {

    static final String RESOURCE_ROOT = "src/main/resources/";
    private static final Map<Rule, String> FILES = new java.util.concurrent.ConcurrentHashMap<>();

    private Provenance() {
    }

    static Decision decision(String value, RuleContext kcontext) {
        Rule rule = kcontext.getRule();
        return new Decision(value, fileOf(rule), rule.getName());
    }

    static String fileOf(Rule rule) {
        String file = FILES.get(rule);
        if (file == null) {
            if (FILES.size() > 10_000) FILES.clear(); // rules of long-replaced versions
            file = lookup(rule);
            FILES.put(rule, file);
        }
        return file;
    }

    private static String lookup(Rule rule) {
        if (rule instanceof RuleImpl impl) {
            Resource r = impl.getResource();
            String path = r == null ? null : r.getSourcePath();
            if (path != null) {
                return path.startsWith(RESOURCE_ROOT) ? path.substring(RESOURCE_ROOT.length()) : path;
            }
        }
        return rule.getPackageName();
    }

}
