package dev.caravan.ingest;

import java.time.Instant;
import java.util.Map;

import dev.caravan.activity.Interaction;
import dev.caravan.customer.ProfileInput;
import dev.caravan.order.OrderInput;
import dev.caravan.order.ReturnInput;

/**
 * One validated incoming record (an API event or a CSV row) split into what each feature stores. The customer
 * id is not known yet: identity resolution fills it in. Fields a record does not carry are null.
 *
 * @param eventId           the sender's event id (API events only): dedupe key and behaviour-event id
 * @param profile           who the record is about; null for guest orders
 * @param interaction       an inquiry, message, complaint or review, without its customer id
 * @param resolvesComplaint event id of a complaint this record resolves
 * @param properties        the event's properties as sent, kept on the behaviour event
 */
public record IngestRecord(
        String eventId,
        String type,
        Instant occurredAt,
        ProfileInput profile,
        OrderInput order,
        ReturnInput ret,
        Interaction interaction,
        String resolvesComplaint,
        Map<String, Object> properties) {
}
