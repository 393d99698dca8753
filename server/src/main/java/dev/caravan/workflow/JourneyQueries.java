package dev.caravan.workflow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.common.store.ByIds;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/** Read models over journey instances: a customer's journeys, counts per journey, the send trace. */
public class JourneyQueries {

    private final MongoTemplate mongo;
    private final Participations participations;

    JourneyQueries(MongoTemplate mongo, Participations participations) {
        this.mongo = mongo;
        this.participations = participations;
    }

    /** The customer's journeys, newest first, with each step and its time (instance documents without state). */
    public List<Map<String, Object>> ofCustomer(String customerId) {
        List<String> ids = participations.instances(customerId);
        List<Document> docs = ByIds.find(mongo, ids, Document.class, InstanceStore.COLLECTION, q -> q.fields().exclude("state"));
        docs.sort(Comparator.comparing((Document d) -> d.getDate("startedAt"), Comparator.nullsLast(Comparator.naturalOrder())).reversed());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Document d : docs) out.add(view(d));
        return out;
    }

    static Map<String, Object> view(Document d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instanceId", d.getString("_id"));
        m.put("journeyId", d.getString("journeyId"));
        m.put("version", d.get("version"));
        m.put("status", d.getString("status"));
        m.put("trigger", d.getString("trigger"));
        m.put("outcome", d.getString("outcome"));
        m.put("startedAt", d.getDate("startedAt"));
        m.put("endedAt", d.getDate("endedAt"));
        m.put("currentSteps", d.getList("currentSteps", String.class, List.of()));
        m.put("steps", d.getList("steps", Document.class, List.of()));
        return m;
    }

    /**
     * A journey's instances, newest first (at most {@code limit}), optionally of one status, without the engine state:
     * id, version, customer, status, current steps, outcome, times and the number of steps taken.
     */
    public List<Map<String, Object>> instances(String journeyId, String status, int limit) {
        Criteria c = Criteria.where("journeyId").is(journeyId);
        if (status != null && !status.isBlank()) c = c.and("status").is(status.trim().toUpperCase(java.util.Locale.ROOT));
        Query q = Query.query(c).with(org.springframework.data.domain.Sort.by(org.springframework.data.domain.Sort.Direction.DESC, "startedAt"))
                .limit(Math.max(1, Math.min(limit, 500)));
        q.fields().exclude("state");
        List<Map<String, Object>> out = new ArrayList<>();
        for (Document d : mongo.find(q, Document.class, InstanceStore.COLLECTION)) {
            Map<String, Object> m = view(d);
            m.put("customerId", d.getString("customerId"));
            m.put("stepCount", ((List<?>) m.remove("steps")).size());
            out.add(m);
        }
        return out;
    }

    /** Counts of a journey's instances by state, by version, and of running instances by the step they are at. */
    public Map<String, Object> counts(String journeyId) {
        Map<String, Long> byState = new LinkedHashMap<>();
        Map<String, Long> byVersion = new LinkedHashMap<>();
        Map<String, Long> byStep = new LinkedHashMap<>();
        Map<String, Long> reached = new LinkedHashMap<>();
        Map<String, Long> outcomes = new LinkedHashMap<>();
        Query q = Query.query(Criteria.where("journeyId").is(journeyId));
        q.fields().include("status", "version", "currentSteps", "outcome", "steps.nodeId");
        try (var stream = mongo.stream(q, Document.class, InstanceStore.COLLECTION)) {
            stream.forEach(d -> {
                String status = d.getString("status");
                byState.merge(status, 1L, Long::sum);
                if (InstanceStore.ACTIVE.equals(status)) {
                    byVersion.merge("v" + d.get("version"), 1L, Long::sum);
                    d.getList("currentSteps", String.class, List.of()).forEach(s -> byStep.merge(s, 1L, Long::sum));
                } else if (d.getString("outcome") != null) {
                    outcomes.merge(d.getString("outcome"), 1L, Long::sum);
                }
                d.getList("steps", Document.class, List.of()).stream().map(s -> s.getString("nodeId")).distinct()
                        .forEach(s -> reached.merge(s, 1L, Long::sum));
            });
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("journeyId", journeyId);
        m.put("byState", byState);
        m.put("runningByVersion", byVersion);
        m.put("runningByStep", byStep);
        m.put("reachedByStep", reached);
        m.put("outcomes", outcomes);
        return m;
    }

    /**
     * Why a customer did or did not get a message: every send decision of their journeys (sent, or the rule that
     * blocked it), the journeys they entered with the path each took, and refused entries (already running,
     * cool-down).
     */
    public Map<String, Object> trace(String customerId, String template, String journeyId) {
        Criteria c = Criteria.where("customerId").is(customerId);
        if (template != null && !template.isBlank()) c = c.and("template").is(template);
        if (journeyId != null && !journeyId.isBlank()) c = c.and("journeyId").is(journeyId);
        List<Document> decisions = mongo.find(Query.query(c), Document.class, Decisions.COLLECTION);
        decisions.sort(Comparator.comparing(d -> d.getDate("at")));
        List<Map<String, Object>> journeys = new ArrayList<>();
        for (Map<String, Object> j : ofCustomer(customerId)) {
            if (journeyId == null || journeyId.isBlank() || journeyId.equals(j.get("journeyId"))) journeys.add(j);
        }
        Document p = participations.get(customerId);
        List<Document> skips = p == null ? List.of() : p.getList("skips", Document.class, List.of()).stream()
                .filter(s -> journeyId == null || journeyId.isBlank() || journeyId.equals(s.getString("journeyId"))).toList();
        List<String> explanation = new ArrayList<>();
        for (Document d : decisions) {
            explanation.add(Boolean.TRUE.equals(d.getBoolean("sent"))
                    ? "'" + d.getString("template") + "' was sent by journey " + d.getString("journeyId") + " v" + d.get("version")
                    + " at step '" + d.getString("stepName") + "' on " + d.getString("channel") + " (message " + d.getString("messageId") + ")"
                    : "'" + d.getString("template") + "' was not sent by journey " + d.getString("journeyId") + " at step '"
                    + d.getString("stepName") + "': " + d.getString("reason") + " (rule: " + d.getString("rule") + ")");
        }
        if (decisions.isEmpty()) {
            explanation.add("no journey step tried to send " + (template == null ? "a message" : "'" + template + "'")
                    + " to this customer");
            for (Map<String, Object> j : journeys) {
                explanation.add("journey " + j.get("journeyId") + " v" + j.get("version") + " " + j.get("status").toString().toLowerCase()
                        + (j.get("outcome") == null ? "" : " with outcome '" + j.get("outcome") + "'")
                        + (((List<?>) j.get("currentSteps")).isEmpty() ? "" : ", now at " + j.get("currentSteps")));
            }
        }
        for (Document s : skips) {
            explanation.add("entry into " + s.getString("journeyId") + " on " + s.getString("trigger") + " refused: " + s.getString("reason"));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("customerId", customerId);
        m.put("explanation", explanation);
        m.put("decisions", decisions);
        m.put("journeys", journeys);
        m.put("refusedEntries", skips);
        return m;
    }
}
