package dev.caravan.messaging;

import java.time.Instant;

/**
 * Domain event: a message reached a new status (queued, deferred, sending is not published, sent, delivered, read,
 * bounced, failed, suppressed; {@code queued} again with reason {@code retry} when a transient failure is retried).
 * Carries what analytics needs to report channel, template, journey and campaign performance. Published after the
 * status was stored, on the thread that stored it: listeners must be quick (hand work to a queue).
 */
public record MessageStatusChanged(String messageId, String customerId, String channel, String template,
                                   String purpose, String status, String previousStatus, String reasonCode,
                                   String reasonMessage, String journeyId, String journeyInstanceId, String stepId,
                                   String campaignId, Instant at) {
}
