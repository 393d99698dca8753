package dev.caravan.workflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;

/**
 * Steps a journey instance took during one engine operation, collected on the operating thread and written with the
 * instance's state in the same single-document update, so the history and the state never disagree.
 */
final class StepLog {

    /** One step of a journey instance's path. */
    record Step(Instant at, String nodeId, String name, String kind, Map<String, Object> detail) {

        Document toDocument() {
            Document d = new Document("at", java.util.Date.from(at)).append("nodeId", nodeId).append("name", name)
                    .append("kind", kind);
            if (detail != null && !detail.isEmpty()) d.append("detail", new Document(detail));
            return d;
        }
    }

    static final class Pending {
        final List<Step> steps = new ArrayList<>();
        String endStatus;
        String outcome;
    }

    private static final ThreadLocal<Map<String, Pending>> PENDING = ThreadLocal.withInitial(HashMap::new);

    private StepLog() {
    }

    static Pending of(String instanceId) {
        return PENDING.get().computeIfAbsent(instanceId, k -> new Pending());
    }

    static void add(String instanceId, Step step) {
        of(instanceId).steps.add(step);
    }

    /** Details for the step just recorded for this node (e.g. the send decision), merged into it. */
    static void detail(String instanceId, String nodeId, Map<String, Object> detail) {
        List<Step> steps = of(instanceId).steps;
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step s = steps.get(i);
            if (nodeId.equals(s.nodeId())) {
                Map<String, Object> merged = new LinkedHashMap<>(s.detail() == null ? Map.of() : s.detail());
                merged.putAll(detail);
                steps.set(i, new Step(s.at(), s.nodeId(), s.name(), s.kind(), merged));
                return;
            }
        }
    }

    static Pending drain(String instanceId) {
        Pending p = PENDING.get().remove(instanceId);
        return p == null ? new Pending() : p;
    }

    static void clear() {
        PENDING.get().clear();
    }
}
