package dev.caravan.common.job;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A long-running piece of work (import, rule evaluation, model fit) with progress that clients poll.
 * Features keep their own counters in {@link #counters}; the document is updated field by field so that
 * progress writes never overwrite each other.
 */
@Document("jobs")
public class Job {

    @MongoId(FieldType.STRING)
    private String id;
    private String kind;
    private JobState state;
    private double percent;
    private Map<String, Long> counters = new LinkedHashMap<>();
    private Map<String, String> params = new LinkedHashMap<>();
    private List<String> warnings = List.of();
    private String message;
    private String createdBy;
    private Instant createdAt;
    private Instant startedAt;
    private Instant finishedAt;

    protected Job() {
    }

    Job(String id, String kind, Map<String, String> params, String createdBy, Instant createdAt) {
        this.id = id;
        this.kind = kind;
        this.state = JobState.QUEUED;
        this.params = new LinkedHashMap<>(params);
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }

    public String getId() { return id; }
    public String getKind() { return kind; }
    public JobState getState() { return state; }
    public double getPercent() { return percent; }
    public Map<String, Long> getCounters() { return counters == null ? Map.of() : counters; }
    public long counter(String name) { return getCounters().getOrDefault(name, 0L); }
    public Map<String, String> getParams() { return params == null ? Map.of() : params; }
    public String param(String name) { return getParams().get(name); }
    public List<String> getWarnings() { return warnings == null ? List.of() : warnings; }
    public String getMessage() { return message; }
    public String getCreatedBy() { return createdBy; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getStartedAt() { return startedAt; }
    public Instant getFinishedAt() { return finishedAt; }
}
