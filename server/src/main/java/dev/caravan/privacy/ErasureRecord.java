package dev.caravan.privacy;

import java.time.Instant;
import java.util.Map;

import dev.caravan.customer.ErasureResult;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * The report of one erasure, kept as proof that the request was honoured: who asked, why, when, and what each
 * feature removed or anonymised. It names no personal data (the customer id identifies nobody once erased).
 *
 * @param status     {@code running}, {@code completed} or {@code failed} (a failed erasure is finished by repeating it)
 * @param tombstones how many identity hashes now block re-creation
 */
@Document("erasures")
public record ErasureRecord(@MongoId(FieldType.STRING) String customerId, String reason, String actor,
                            Instant requestedAt, Instant completedAt, String status, long tombstones,
                            Map<String, ErasureResult> sections, Map<String, String> errors) {
}
