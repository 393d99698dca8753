package dev.caravan.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an evaluation changes for one customer compared with what the customer has: tier, lifecycle, level, tags
 * and churn-risk reasons, with the deciding rules. Turns into domain events and history entries.
 */
record Changes(String customerId,
               Current before,
               Decision tier, Decision lifecycle, Decision level,
               Map<String, Decision> tags, Map<String, Decision> churnRisks) {

    /** What the customer has now: values on the profile plus the provenance and risks the rules stored. */
    record Current(String tier, String lifecycle, String level, Set<String> tags, Map<String, Decision> tagProvenance,
                   Set<String> churnRisks) {
        static Current of(CustomerFact f) {
            return new Current(f.getTier(), f.getLifecycle(), f.getLevel(), f.getTags(), Map.of(), Set.of());
        }
    }

    static Changes of(CustomerFact f, Current before) {
        return new Changes(f.getId(), before, f.tierDecision(), f.lifecycleDecision(), f.levelDecision(),
                new LinkedHashMap<>(f.tagDecisions()), new LinkedHashMap<>(f.churnRiskDecisions()));
    }

    String tierValue() { return tier == null ? null : tier.value(); }
    String lifecycleValue() { return lifecycle == null ? null : lifecycle.value(); }
    String levelValue() { return level == null ? null : level.value(); }
    Set<String> tagValues() { return new LinkedHashSet<>(tags.keySet()); }

    boolean tierChanged() { return !Objects.equals(before.tier(), tierValue()); }
    boolean lifecycleChanged() { return !Objects.equals(before.lifecycle(), lifecycleValue()); }
    boolean levelChanged() { return !Objects.equals(before.level(), levelValue()); }

    List<String> tagsAdded() {
        return tags.keySet().stream().filter(t -> !before.tags().contains(t)).toList();
    }

    List<String> tagsRemoved() {
        return before.tags().stream().filter(t -> !tags.containsKey(t)).toList();
    }

    List<String> newChurnRisks() {
        return churnRisks.keySet().stream().filter(r -> !before.churnRisks().contains(r)).toList();
    }

    /** Whether the profile's classification fields must be written. */
    boolean profileChanged() {
        return tierChanged() || lifecycleChanged() || levelChanged() || !tagsAdded().isEmpty() || !tagsRemoved().isEmpty();
    }

    /** The domain events, in a stable order. */
    List<Object> events(long version, Instant at, boolean live) {
        List<Object> out = new ArrayList<>();
        if (tierChanged()) {
            out.add(new TierChanged(customerId, before.tier(), tierValue(), file(tier), rule(tier), version, at, live));
        }
        if (lifecycleChanged()) {
            out.add(new LifecycleChanged(customerId, before.lifecycle(), lifecycleValue(), file(lifecycle),
                    rule(lifecycle), version, at, live));
        }
        if (levelChanged()) {
            out.add(new MembershipChanged(customerId, before.level(), levelValue(), file(level), rule(level), version,
                    at, live));
        }
        for (String t : tagsAdded()) {
            Decision d = tags.get(t);
            out.add(new TagAdded(customerId, t, d.file(), d.rule(), version, at, live));
        }
        for (String t : tagsRemoved()) {
            Decision d = before.tagProvenance().get(t);
            out.add(new TagRemoved(customerId, t, d == null ? null : d.file(), d == null ? null : d.rule(), version, at,
                    live));
        }
        List<String> reasons = List.copyOf(churnRisks.keySet());
        for (String r : newChurnRisks()) {
            Decision d = churnRisks.get(r);
            out.add(new ChurnRiskDetected(customerId, r, reasons, d.file(), d.rule(), version, at, live));
        }
        return out;
    }

    static String eventType(Object event) {
        return event.getClass().getSimpleName();
    }

    private static String file(Decision d) { return d == null ? null : d.file(); }
    private static String rule(Decision d) { return d == null ? null : d.rule(); }
}
