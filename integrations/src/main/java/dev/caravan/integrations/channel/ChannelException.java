package dev.caravan.integrations.channel;

import java.time.Duration;

/**
 * A channel refused or failed to take a message. {@link Kind#TRANSIENT} failures are worth retrying (SMTP 4xx,
 * HTTP 429/5xx, timeouts, refused connections), honouring {@link #retryAfter()} when the provider gave one;
 * {@link Kind#PERMANENT} ones are not; {@link Kind#BOUNCE} means the recipient address itself was rejected.
 */
public class ChannelException extends RuntimeException {

    public enum Kind { TRANSIENT, PERMANENT, BOUNCE }

    private final Kind kind;
    private final String code;
    private final Duration retryAfter;

    public ChannelException(Kind kind, String code, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public static ChannelException transientFailure(String code, String message, Duration retryAfter) {
        return new ChannelException(Kind.TRANSIENT, code, message, retryAfter, null);
    }

    public static ChannelException permanent(String code, String message) {
        return new ChannelException(Kind.PERMANENT, code, message, null, null);
    }

    public Kind kind() {
        return kind;
    }

    /** A short machine-readable code, e.g. {@code smtp-421}, {@code http-429}, {@code whatsapp-131026}. */
    public String code() {
        return code;
    }

    /** The wait the provider asked for (HTTP Retry-After), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
