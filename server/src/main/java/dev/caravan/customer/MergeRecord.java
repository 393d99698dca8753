package dev.caravan.customer;

import java.time.Instant;
import java.util.List;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One merge of two customers, with everything needed to undo it: both profiles as they were and the identity
 * keys that moved. Kept after an unmerge (with {@code undoneAt}) as history.
 */
@Document("customer_merges")
public record MergeRecord(
        @MongoId(FieldType.STRING) String id,
        String survivorId,
        String absorbedId,
        String reason,
        String actor,
        Instant mergedAt,
        Customer survivorBefore,
        Customer absorbed,
        List<String> movedKeys,
        Instant undoneAt) {

    MergeRecord undone(Instant at) {
        return new MergeRecord(id, survivorId, absorbedId, reason, actor, mergedAt, survivorBefore, absorbed,
                movedKeys, at);
    }
}
