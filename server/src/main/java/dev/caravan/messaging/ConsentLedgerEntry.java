package dev.caravan.messaging;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import java.time.Instant;

import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One consent change, appended and never updated: who (actor), what (channel, purpose, granted, previous value),
 * when, and on what evidence (source: an API caller's note, {@code unsubscribe-link}, {@code event:e-17}, an import,
 * a marketplace opt-in...). The basis for privacy requests and audits.
 *
 * @param messageId the message whose unsubscribe link or reply caused the change, if any
 * @param evidence  what proves it, when more than the source says: the unsubscribe link's message, the WhatsApp
 *                  message id of a STOP reply, the event or import row that carried a marketplace opt-in, a note
 *                  given through the API (e.g. a double opt-in confirmation id); null when the source is all there is
 */
@Document("consent_ledger")
public record ConsentLedgerEntry(@MongoId(FieldType.STRING) String id, @Indexed String customerId, String channel, String purpose,
                                 boolean granted, Boolean previous, String source, String actor, Instant at,
                                 String messageId, String evidence) {
}
