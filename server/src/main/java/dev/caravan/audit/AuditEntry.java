package dev.caravan.audit;

import java.time.Instant;
import java.util.Map;

import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * One line of the append-only audit log. Written once with {@code insert} and never updated or deleted by the
 * server. The id is the time, this server's sequence number and a random part, so newest-first paging is a sort on
 * {@code _id} (entries of several servers within one millisecond may interleave).
 *
 * @param diff unified diff of the texts before and after, for rule/workflow/template changes; null otherwise
 */
@Document("audit_log")
public record AuditEntry(@MongoId(FieldType.STRING) String id, @Indexed Instant at, @Indexed String actor,
                         @Indexed String action, String target, String summary, String outcome, String remoteAddress,
                         String userAgent, Map<String, Object> details, String diff) {
}
