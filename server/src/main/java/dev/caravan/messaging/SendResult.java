package dev.caravan.messaging;

import java.time.Instant;

/**
 * The answer to a send request.
 *
 * @param messageId the message's id (the same for every request with the same idempotency key)
 * @param status    the decision taken now: {@code queued}, {@code deferred} (with {@link #dueAt()}) or
 *                  {@code suppressed} (with the {@link #reason()}); later statuses for a repeated key
 * @param duplicate true when the idempotency key had been used before: nothing new was queued
 */
public record SendResult(String messageId, String status, boolean duplicate, Reason reason, Instant dueAt) {
}
