package dev.caravan.messaging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request to message one customer, the input of {@link MessageService#send(SendRequest, String)} and of
 * {@code POST /api/v1/messages}.
 *
 * @param customerId        the Caravan customer id
 * @param channel           {@code email}, {@code whatsapp}, {@code amazon}, {@code ebay} or {@code inbox}
 * @param template          template name, e.g. {@code win_back}
 * @param purpose           {@code marketing} or {@code transactional}; null takes the template's purpose. A marketing
 *                          template cannot be sent as transactional.
 * @param params            template variables (coupon, products, order...). For Amazon: {@code orderId} (Caravan order
 *                          key or Amazon order id) and optionally {@code marketplaceId}; for eBay optionally
 *                          {@code conversationId} and {@code listingId}
 * @param idempotencyKey    makes the request safe to repeat: the same key always means the same message and nothing
 *                          is sent twice. Null gets a random key (no protection). See {@link IdempotencyKeys}.
 * @param language          overrides the customer's language for the template (BCP 47)
 * @param journeyId         journey (workflow definition) that sent it, for stats and attribution
 * @param journeyInstanceId journey instance
 * @param stepId            step of the journey
 * @param campaignId        broadcast campaign that sent it
 * @param source            free-form origin, e.g. {@code api}, {@code journey}, {@code campaign}, {@code loyalty}
 */
public record SendRequest(String customerId, String channel, String template, String purpose,
                          Map<String, Object> params, String idempotencyKey, String language, String journeyId,
                          String journeyInstanceId, String stepId, String campaignId, String source) {

    public SendRequest {
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** For workflow code: a builder already carrying the journey reference and its idempotency key. */
    public static Builder forJourneyStep(String customerId, String journeyId, String journeyInstanceId, String stepId) {
        return builder().customerId(customerId).journeyId(journeyId).journeyInstanceId(journeyInstanceId)
                .stepId(stepId).source("journey")
                .idempotencyKey(IdempotencyKeys.journeyStep(customerId, journeyInstanceId, stepId));
    }

    public static final class Builder {
        private String customerId, channel, template, purpose, idempotencyKey, language, journeyId, journeyInstanceId,
                stepId, campaignId, source;
        private Map<String, Object> params = new LinkedHashMap<>();

        public Builder customerId(String v) { customerId = v; return this; }
        public Builder channel(String v) { channel = v; return this; }
        public Builder channel(Channel v) { channel = v.id(); return this; }
        public Builder template(String v) { template = v; return this; }
        public Builder purpose(String v) { purpose = v; return this; }
        public Builder purpose(Purpose v) { purpose = v.id(); return this; }
        public Builder params(Map<String, Object> v) { params = new LinkedHashMap<>(v); return this; }
        public Builder param(String name, Object value) { params.put(name, value); return this; }
        public Builder idempotencyKey(String v) { idempotencyKey = v; return this; }
        public Builder language(String v) { language = v; return this; }
        public Builder journeyId(String v) { journeyId = v; return this; }
        public Builder journeyInstanceId(String v) { journeyInstanceId = v; return this; }
        public Builder stepId(String v) { stepId = v; return this; }
        public Builder campaignId(String v) { campaignId = v; return this; }
        public Builder source(String v) { source = v; return this; }

        public SendRequest build() {
            return new SendRequest(customerId, channel, template, purpose, params, idempotencyKey, language, journeyId,
                    journeyInstanceId, stepId, campaignId, source);
        }
    }
}
