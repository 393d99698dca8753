package dev.caravan.rules;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import java.time.Instant;
import java.util.List;

import org.springframework.data.mongodb.core.mapping.Document;

/**
 * What the rules decided for one customer and why: each value with the file and rule that set it and since when,
 * the active churn-risk reasons, and the history of tier, lifecycle, level and tag changes (newest last, capped).
 * The values themselves are also written to the customer profile ({@code tier}, {@code tags}, ...), where the
 * customer list filters on them. {@code levelLapsedAt} is set while a member no longer qualifies for the level they
 * hold and keeps it for the downgrade grace period ({@link LevelGrace}); null otherwise.
 */
@Document("rule_states")
public record RuleState(@MongoId(FieldType.STRING) String customerId, Held tier, Held lifecycle, Held level, List<Held> tags,
                        List<Held> churnRisks, long version, Instant updatedAt, List<HistoryEntry> history,
                        Instant levelLapsedAt) {

    /** A value with its deciding rule and the time it was first decided. */
    public record Held(String value, String file, String rule, Instant since) {
        Decision decision() {
            return new Decision(value, file, rule);
        }
    }

    /** {@code field} is tier, lifecycle, level, tag or churn-risk; for tags {@code from} or {@code to} is null. */
    public record HistoryEntry(String field, String from, String to, String file, String rule, long version,
                               Instant at) {
    }

    public List<Held> tags() { return tags == null ? List.of() : tags; }
    public List<Held> churnRisks() { return churnRisks == null ? List.of() : churnRisks; }
    public List<HistoryEntry> history() { return history == null ? List.of() : history; }
}
