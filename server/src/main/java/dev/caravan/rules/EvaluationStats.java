package dev.caravan.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of what an evaluation changed (or, in a dry run, would change): transitions per field
 * ({@code "base -> core"}), tags added and removed, new churn risks, with a few sample customer ids each.
 */
public final class EvaluationStats {

    private final int samplesPerKey;
    private long evaluated;
    private long changed;
    private long loops;
    private long errors;
    private final Map<String, Long> tier = new TreeMap<>();
    private final Map<String, Long> lifecycle = new TreeMap<>();
    private final Map<String, Long> level = new TreeMap<>();
    private final Map<String, Long> tagsAdded = new TreeMap<>();
    private final Map<String, Long> tagsRemoved = new TreeMap<>();
    private final Map<String, Long> churnRisks = new TreeMap<>();
    private final Map<String, List<String>> samples = new TreeMap<>();
    private final List<String> loopReports = new ArrayList<>();

    public EvaluationStats(int samplesPerKey) {
        this.samplesPerKey = samplesPerKey;
    }

    synchronized void add(Changes c) {
        evaluated++;
        boolean any = false;
        if (c.tierChanged()) { count(tier, "tier", c.before().tier() + " -> " + c.tierValue(), c.customerId()); any = true; }
        if (c.lifecycleChanged()) { count(lifecycle, "lifecycle", c.before().lifecycle() + " -> " + c.lifecycleValue(), c.customerId()); any = true; }
        if (c.levelChanged()) { count(level, "level", c.before().level() + " -> " + c.levelValue(), c.customerId()); any = true; }
        for (String t : c.tagsAdded()) { count(tagsAdded, "tag+", t, c.customerId()); any = true; }
        for (String t : c.tagsRemoved()) { count(tagsRemoved, "tag-", t, c.customerId()); any = true; }
        for (String r : c.newChurnRisks()) count(churnRisks, "churn-risk", r, c.customerId());
        if (any) changed++;
    }

    synchronized void loop(RuleEngine.Loop loop) {
        if (loop.error()) errors++;
        else loops++;
        if (loopReports.size() < 20) {
            loopReports.add("customer " + loop.customerId() + ": " + (loop.error() ? loop.detail()
                    : "stopped after " + loop.firings() + " firings; " + loop.detail()));
        }
    }

    private void count(Map<String, Long> map, String field, String key, String customerId) {
        map.merge(key, 1L, Long::sum);
        List<String> s = samples.computeIfAbsent(field + ": " + key, k -> new ArrayList<>());
        if (s.size() < samplesPerKey) s.add(customerId);
    }

    public synchronized long evaluated() { return evaluated; }
    public synchronized long changed() { return changed; }
    public synchronized long loops() { return loops; }
    public synchronized long errors() { return errors; }
    public synchronized List<String> loopReports() { return List.copyOf(loopReports); }

    public synchronized long tierChanges() { return sum(tier); }
    public synchronized long lifecycleChanges() { return sum(lifecycle); }
    public synchronized long levelChanges() { return sum(level); }
    public synchronized long tagsAddedCount() { return sum(tagsAdded); }
    public synchronized long tagsRemovedCount() { return sum(tagsRemoved); }

    /** Job counters. */
    public synchronized Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("evaluated", evaluated);
        m.put("changed", changed);
        m.put("tierChanged", sum(tier));
        m.put("lifecycleChanged", sum(lifecycle));
        m.put("levelChanged", sum(level));
        m.put("tagsAdded", sum(tagsAdded));
        m.put("tagsRemoved", sum(tagsRemoved));
        m.put("churnRisksDetected", sum(churnRisks));
        m.put("loops", loops);
        m.put("errors", errors);
        return m;
    }

    /** The full report: counts by transition and samples. */
    public synchronized Map<String, Object> report() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("evaluated", evaluated);
        m.put("changed", changed);
        m.put("tier", new TreeMap<>(tier));
        m.put("lifecycle", new TreeMap<>(lifecycle));
        m.put("level", new TreeMap<>(level));
        m.put("tagsAdded", new TreeMap<>(tagsAdded));
        m.put("tagsRemoved", new TreeMap<>(tagsRemoved));
        m.put("churnRisksDetected", new TreeMap<>(churnRisks));
        m.put("loops", loops);
        m.put("errors", errors);
        m.put("loopReports", List.copyOf(loopReports));
        Map<String, List<String>> s = new TreeMap<>();
        samples.forEach((k, v) -> s.put(k, List.copyOf(v)));
        m.put("samples", s);
        return m;
    }

    private static long sum(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }
}
