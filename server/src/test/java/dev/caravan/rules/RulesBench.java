package dev.caravan.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.kie.api.KieBase;

/**
 * Package-private entry points of the rules feature for the benchmarks in {@code dev.caravan.bench} (test code):
 * the rule phase without storage, full evaluations and one-customer evaluations.
 */
public final class RulesBench {

    private RulesBench() {
    }

    /** The packaged rule set, compiled. */
    public static Object packagedRules() {
        RuleSet.Validation v = RuleSet.build(RulesService.packagedDefaults(), 200);
        if (!v.valid()) throw new IllegalStateException(v.problems().toString());
        return v.ruleSet();
    }

    /** Runs the rule phase over the facts in batches; returns the number of customers evaluated. */
    public static long rulePhase(Object rules, List<CustomerFact> facts, int batch, double coreMin, double growthMin) {
        RuleSet set = (RuleSet) rules;
        KieBase kb = set.kieBase();
        Population pop = Population.ofCutoffs(coreMin, growthMin);
        long n = 0;
        for (int i = 0; i < facts.size(); i += batch) {
            List<CustomerFact> chunk = facts.subList(i, Math.min(facts.size(), i + batch));
            chunk.forEach(CustomerFact::resetDecisions);
            n += RuleEngine.evaluate(kb, set.params(), pop, chunk, 200).evaluated().size();
        }
        return n;
    }

    /** The rule phase on several threads, each taking whole batches. */
    public static long rulePhaseParallel(Object rules, List<CustomerFact> facts, int batch, int threads) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Long>> parts = new java.util.ArrayList<>();
            int per = (facts.size() + threads - 1) / threads;
            for (int t = 0; t < threads; t++) {
                List<CustomerFact> part = facts.subList(Math.min(facts.size(), t * per), Math.min(facts.size(), (t + 1) * per));
                parts.add(pool.submit(() -> rulePhase(rules, part, batch, 0.8, 0.5)));
            }
            long n = 0;
            for (var f : parts) n += f.get();
            return n;
        } finally {
            pool.shutdown();
        }
    }

    /** Runs a full evaluation job to the end and returns its counters. */
    public static Map<String, Long> fullEvaluation(org.springframework.context.ApplicationContext ctx) {
        FullEvaluations full = ctx.getBean(FullEvaluations.class);
        String id = full.submit("bench", "benchmark").getId();
        while (true) {
            var job = full.get(id);
            if (job.getState().finished()) {
                if (job.getState() != dev.caravan.common.job.JobState.SUCCEEDED) {
                    throw new IllegalStateException("evaluation failed: " + job.getMessage());
                }
                return job.getCounters();
            }
            sleep(200);
        }
    }

    /** Evaluates one customer through the same path as the incremental worker (read, rules, write). */
    public static void evaluateOne(org.springframework.context.ApplicationContext ctx, String customerId) {
        RulesService rules = ctx.getBean(RulesService.class);
        RuleSet set = rules.current();
        Population pop = ctx.getBean(PopulationService.class).current(set, Duration.ofDays(365));
        ctx.getBean(EvaluationService.class).evaluateIds(List.of(customerId), set, pop, true, true, new EvaluationStats(0));
    }

    public static boolean workerIdle(org.springframework.context.ApplicationContext ctx) {
        return ctx.getBean(IncrementalEvaluator.class).idle();
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
