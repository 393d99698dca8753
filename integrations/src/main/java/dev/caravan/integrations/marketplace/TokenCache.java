package dev.caravan.integrations.marketplace;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens per connection, in memory only: after a restart the first call simply refreshes. A token is
 * treated as expired a minute early so that it does not lapse in flight.
 */
public final class TokenCache {

    private static final Duration EARLY = Duration.ofSeconds(60);

    private record Token(String value, Instant expiresAt) {
    }

    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    public String valid(String connectionId, Instant now) {
        Token t = tokens.get(connectionId);
        if (t == null) return null;
        if (t.expiresAt() != null && !now.isBefore(t.expiresAt().minus(EARLY))) {
            tokens.remove(connectionId, t);
            return null;
        }
        return t.value();
    }

    public void put(String connectionId, String value, Instant expiresAt) {
        tokens.put(connectionId, new Token(value, expiresAt));
    }

    public void forget(String connectionId) {
        tokens.remove(connectionId);
    }

    public void clear() {
        tokens.clear();
    }
}
