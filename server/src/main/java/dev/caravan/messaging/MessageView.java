package dev.caravan.messaging;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A message as the API shows it (statuses in lower case). */
public record MessageView(String id, String idempotencyKey, String customerId, String channel, String template,
                          String language, String purpose, String status, Reason reason, Instant dueAt, int attempts,
                          String lastError, String recipient, Integer templateVersion, String providerMessageId,
                          Map<String, Object> params, String journeyId, String journeyInstanceId, String stepId,
                          String campaignId, String source, String requestedBy, Instant createdAt, Instant sentAt,
                          Instant deliveredAt, Instant readAt, Instant bouncedAt, Instant failedAt, Instant suppressedAt,
                          int conversions, BigDecimal revenueBase, List<OutboxMessage.Event> history) {

    static MessageView of(OutboxMessage m) {
        return new MessageView(m.getId(), m.getIdempotencyKey(), m.getCustomerId(), m.getChannel(), m.getTemplate(),
                m.getLanguage(), m.getPurpose(), m.status().id(), m.getReason(), m.isPending() ? m.getDueAt() : null,
                m.getAttempts(), m.getLastError(), m.getRecipient(), m.getTemplateVersion(), m.getProviderMessageId(),
                m.getParams(), m.getJourneyId(), m.getJourneyInstanceId(), m.getStepId(), m.getCampaignId(),
                m.getSource(), m.getRequestedBy(), m.getCreatedAt(), m.getSentAt(), m.getDeliveredAt(), m.getReadAt(),
                m.getBouncedAt(), m.getFailedAt(), m.getSuppressedAt(), m.getConversions(), m.getRevenueBase(),
                m.getHistory());
    }
}
