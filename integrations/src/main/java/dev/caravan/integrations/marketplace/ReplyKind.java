package dev.caravan.integrations.marketplace;

/** How a platform's reply is handled by the HTTP route. */
public enum ReplyKind {
    /** Use it. */
    OK,
    /** The access token expired or was revoked: refresh once and send again. */
    TOKEN_REJECTED,
    /** Too many requests: wait (Retry-After, the advertised rate, or backoff) and send again. */
    RATE_LIMITED,
    /** A transient server failure: back off and send again, a few times. */
    SERVER_ERROR,
    /** The platform rejects the request; sending it again will not help. */
    FAILED
}
