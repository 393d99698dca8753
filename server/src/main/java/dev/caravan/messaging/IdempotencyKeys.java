package dev.caravan.messaging;

/**
 * Conventional idempotency keys, so that every caller builds them the same way. A key names one intended message;
 * repeating a send with the same key returns the first message and sends nothing new.
 */
public final class IdempotencyKeys {

    private IdempotencyKeys() {
    }

    /** One message per customer, journey instance and step: replays of the step never message twice. */
    public static String journeyStep(String customerId, String journeyInstanceId, String stepId) {
        return "journey:" + journeyInstanceId + ":" + stepId + ":" + customerId;
    }

    /** One message per customer and broadcast campaign (and channel, when a campaign uses several). */
    public static String campaign(String customerId, String campaignId, String channel) {
        return "campaign:" + campaignId + ":" + channel + ":" + customerId;
    }

    /** One message per issued coupon. */
    public static String coupon(String customerId, String couponCode, String channel) {
        return "coupon:" + couponCode + ":" + channel + ":" + customerId;
    }
}
