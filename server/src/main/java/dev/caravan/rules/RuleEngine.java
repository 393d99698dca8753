package dev.caravan.rules;

import java.util.ArrayList;
import java.util.List;

import org.kie.api.KieBase;
import org.kie.api.runtime.KieSession;

/**
 * Runs customer facts through a compiled rule set. A batch shares one session with the Params and Population facts;
 * the session's firing limit is the per-customer limit times the batch size, so a looping rule (e.g. a modify
 * without no-loop) stops instead of hanging. When a batch hits the limit, its customers are run one by one to find
 * the looping ones, which are reported and get no decisions.
 */
final class RuleEngine {

    /**
     * A customer whose evaluation hit the firing limit (with the rules that fired most), or whose rules threw
     * ({@code error} true, with the message). Such customers get no decisions and are reported.
     */
    record Loop(String customerId, int firings, String detail, boolean error) {
        Loop(String customerId, int firings, String detail) {
            this(customerId, firings, detail, false);
        }
    }

    record BatchResult(List<CustomerFact> evaluated, List<Loop> loops) {
    }

    private RuleEngine() {
    }

    static BatchResult evaluate(KieBase kieBase, Params params, Population population, List<CustomerFact> facts,
                                int maxFiringsPerCustomer) {
        if (facts.isEmpty()) return new BatchResult(List.of(), List.of());
        long limit = (long) maxFiringsPerCustomer * facts.size();
        try {
            int fired = fire(kieBase, params, population, facts, (int) Math.min(Integer.MAX_VALUE, limit));
            if (fired < limit) {
                return new BatchResult(facts, List.of());
            }
        } catch (RuntimeException e) {
            if (facts.size() == 1) {
                facts.get(0).resetDecisions();
                return new BatchResult(List.of(), List.of(new Loop(facts.get(0).getId(), 0,
                        "the rules threw: " + RuleCompiler.message(e), true)));
            }
            // one customer's data made a rule throw: find out whose, the others still get decisions
        }
        List<CustomerFact> ok = new ArrayList<>();
        List<Loop> loops = new ArrayList<>();
        for (CustomerFact f : facts) {
            f.resetDecisions();
            LoopProbe probe = new LoopProbe();
            int n;
            try {
                n = fire(kieBase, params, population, List.of(f), maxFiringsPerCustomer, probe);
            } catch (RuntimeException e) {
                f.resetDecisions();
                loops.add(new Loop(f.getId(), 0, "the rules threw: " + RuleCompiler.message(e), true));
                continue;
            }
            if (n >= maxFiringsPerCustomer) {
                f.resetDecisions();
                loops.add(new Loop(f.getId(), n, probe.summary()));
            } else {
                ok.add(f);
            }
        }
        return new BatchResult(ok, loops);
    }

    private static int fire(KieBase kieBase, Params params, Population population, List<CustomerFact> facts, int limit) {
        return fire(kieBase, params, population, facts, limit, null);
    }

    private static int fire(KieBase kieBase, Params params, Population population, List<CustomerFact> facts, int limit,
                            LoopProbe probe) {
        KieSession session = kieBase.newKieSession();
        try {
            if (probe != null) session.addEventListener(probe);
            session.insert(params);
            session.insert(population);
            for (CustomerFact f : facts) {
                session.insert(f);
            }
            return session.fireAllRules(limit);
        } finally {
            session.dispose();
        }
    }

    /** Counts firings per rule, to name the looping rule in the report. */
    private static final class LoopProbe extends org.kie.api.event.rule.DefaultAgendaEventListener {
        private final java.util.Map<String, Integer> counts = new java.util.HashMap<>();

        @Override
        public void afterMatchFired(org.kie.api.event.rule.AfterMatchFiredEvent event) {
            var rule = event.getMatch().getRule();
            counts.merge(Provenance.fileOf(rule) + " / " + rule.getName(), 1, Integer::sum);
        }

        String summary() {
            return counts.entrySet().stream().sorted(java.util.Map.Entry.<String, Integer>comparingByValue().reversed())
                    .limit(3).map(e -> e.getKey() + " fired " + e.getValue() + " times")
                    .reduce((a, b) -> a + "; " + b).orElse("");
        }
    }
}
