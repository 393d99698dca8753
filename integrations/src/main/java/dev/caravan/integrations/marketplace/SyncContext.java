package dev.caravan.integrations.marketplace;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/** One running sync of one connection: its spec, connector, token cache and counters. */
public final class SyncContext {

    private final ConnectionSpec spec;
    private final MarketplaceConnector connector;
    private final MarketplaceHttp http;
    private final TokenCache tokens;
    private final Clock clock;
    private final SyncListener listener;
    private final AtomicInteger requests = new AtomicInteger();
    private final java.util.Map<String, Object> attributes = new java.util.concurrent.ConcurrentHashMap<>();

    public SyncContext(ConnectionSpec spec, MarketplaceConnector connector, MarketplaceHttp http, TokenCache tokens,
                       Clock clock, SyncListener listener) {
        this.spec = spec;
        this.connector = connector;
        this.http = http;
        this.tokens = tokens;
        this.clock = clock;
        this.listener = listener;
    }

    public ConnectionSpec spec() { return spec; }
    public MarketplaceConnector connector() { return connector; }
    public TokenCache tokens() { return tokens; }
    public SyncListener listener() { return listener; }
    public Instant now() { return clock.instant(); }
    public Clock clock() { return clock; }
    public int requests() { return requests.get(); }
    /** Per-run scratch space of the connector (e.g. the result-set size seen on the first page). */
    public java.util.Map<String, Object> attributes() { return attributes; }

    void countRequest() {
        requests.incrementAndGet();
    }

    /** Sends an authorised call through the HTTP route (retries, rate limits, token refresh). */
    public HttpReply send(HttpCall call) {
        return http.send(this, call, true);
    }

    /** Sends a call without credentials added by the connector (token endpoints sign their own requests). */
    public HttpReply sendUnauthorised(HttpCall call) {
        return http.send(this, call, false);
    }
}
