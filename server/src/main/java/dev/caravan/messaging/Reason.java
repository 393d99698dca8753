package dev.caravan.messaging;

/**
 * Why a message was suppressed, deferred, retried or failed.
 *
 * @param code    {@code consent}, {@code channel_policy}, {@code frequency_cap}, {@code quiet_hours}, {@code holiday},
 *                {@code rate_limit}, {@code retry}, {@code bounced}, {@code failed}, {@code no_address},
 *                {@code customer_gone}...
 * @param message a sentence a marketer can act on
 */
public record Reason(String code, String message) {

    public static final String CONSENT = "consent";
    public static final String CHANNEL_POLICY = "channel_policy";
    public static final String NO_ADDRESS = "no_address";
    public static final String FREQUENCY_CAP = "frequency_cap";
    public static final String QUIET_HOURS = "quiet_hours";
    public static final String HOLIDAY = "holiday";
    public static final String RATE_LIMIT = "rate_limit";
    public static final String RETRY = "retry";
    public static final String BOUNCED = "bounced";
    public static final String FAILED = "failed";
    public static final String CUSTOMER_GONE = "customer_gone";
    public static final String MANUAL_RETRY = "manual_retry";
}
