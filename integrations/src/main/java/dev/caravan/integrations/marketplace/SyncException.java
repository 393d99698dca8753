package dev.caravan.integrations.marketplace;

/**
 * A sync could not go on. {@code retryable} failures (server errors, timeouts, rate limits that did not clear)
 * are tried again on the next run from the saved cursor; the others (bad credentials, a request the platform
 * rejects) need someone to fix the connection. Messages never contain credentials.
 */
public class SyncException extends RuntimeException {

    private final boolean retryable;
    private final int status;

    public SyncException(String message, boolean retryable) {
        this(message, retryable, 0, null);
    }

    public SyncException(String message, boolean retryable, int status, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.status = status;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The HTTP status that ended the sync, 0 when none (I/O error, unreadable page...). */
    public int status() {
        return status;
    }
}
