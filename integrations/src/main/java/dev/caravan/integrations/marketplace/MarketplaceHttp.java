package dev.caravan.integrations.marketplace;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends platform calls through the {@code direct:marketplace-http} route and implements its steps: waiting for
 * the connection's rate gate, authorising, mapping to and from Camel's HTTP component, and deciding what a reply
 * means: use it, refresh the token once, wait out a 429 ({@code Retry-After}, else the rate advertised in
 * {@code x-amzn-RateLimit-Limit}, else exponential backoff) or back off after a server error. After a 429 the
 * operation is paced at the advertised rate for the rest of the server's life.
 */
public final class MarketplaceHttp {

    private static final Logger log = LoggerFactory.getLogger(MarketplaceHttp.class);

    static final String STATE = "caravanHttpCall";
    static final String WAIT = "caravanHttpWait";
    static final String RATE_LIMIT_HEADER = "x-amzn-RateLimit-Limit";

    private final CamelContext camel;
    private final HttpSettings settings;
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();
    private volatile ProducerTemplate producer;

    public MarketplaceHttp(CamelContext camel, HttpSettings settings) {
        this.camel = camel;
        this.settings = settings;
    }

    public HttpSettings settings() {
        return settings;
    }

    /** Pacing of one operation of one connection. */
    private static final class Gate {
        long nextNanos;
        double ratePerSecond;   // from x-amzn-RateLimit-Limit, 0 when unknown
        boolean paced;          // a 429 was seen: keep to the advertised rate
    }

    HttpReply send(SyncContext ctx, HttpCall call, boolean authorise) {
        Exchange exchange = new DefaultExchange(camel);
        CallState state = new CallState(ctx, call, authorise);
        exchange.setProperty(STATE, state);
        producer().send(MarketplaceRoutes.HTTP, exchange);
        Exception e = exchange.getException();
        if (e != null) {
            if (e instanceof SyncException) throw (SyncException) e;
            throw new SyncException(call + " failed: " + e.getMessage(), true, 0, e);
        }
        return state.reply;
    }

    private ProducerTemplate producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) producer = camel.createProducerTemplate();
            }
        }
        return producer;
    }

    static CallState state(Exchange exchange) {
        return exchange.getProperty(STATE, CallState.class);
    }

    /** The state of one call across its attempts; its methods are the route's processors. */
    final class CallState {
        final SyncContext ctx;
        final HttpCall call;
        final boolean authorise;
        final String gateKey;
        boolean again = true;
        int attempts;
        int rateLimitWaits;
        boolean refreshed;
        HttpReply reply;
        IOException ioFailure;

        CallState(SyncContext ctx, HttpCall call, boolean authorise) {
            this.ctx = ctx;
            this.call = call;
            this.authorise = authorise;
            this.gateKey = ctx.spec().id() + "|" + call.operation();
        }

        /** Step 1: how long to wait before this attempt (rate gate or backoff). */
        void gate(Exchange exchange) {
            Gate g = gates.get(gateKey);
            long waitMs = 0;
            if (g != null) {
                synchronized (g) {
                    waitMs = Math.max(0, (g.nextNanos - System.nanoTime()) / 1_000_000);
                }
            }
            exchange.setProperty(WAIT, waitMs);
        }

        /** Step 2: the Camel message for this attempt; nothing of an earlier reply is sent along. */
        void prepare(Exchange exchange) {
            attempts++;
            reply = null;
            ioFailure = null;
            HttpCall c = authorise ? ctx.connector().authorise(call, ctx) : call;
            Message m = exchange.getMessage();
            m.getHeaders().clear();
            c.headers().forEach(m::setHeader);
            m.setHeader(Exchange.HTTP_METHOD, c.method());
            m.setHeader(Exchange.HTTP_URI, c.uri());
            m.setBody(c.body());
            ctx.countRequest();
        }

        /** Step 3a: the reply as a plain record. */
        void received(Exchange exchange) {
            Message m = exchange.getMessage();
            Integer status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            Map<String, String> headers = new HashMap<>();
            m.getHeaders().forEach((k, v) -> {
                if (v != null && !k.startsWith("Camel")) headers.put(k, v.toString());
            });
            byte[] body = m.getBody(byte[].class);
            reply = new HttpReply(status == null ? 0 : status, headers, body);
        }

        /** Step 3b: connection refused, reset, timed out. */
        void failed(Exchange exchange) {
            Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            ioFailure = e instanceof IOException ? (IOException) e : new IOException(String.valueOf(e));
        }

        /** Step 4: done, or wait and send again, or give up. */
        void decide(Exchange exchange) {
            if (ioFailure != null) {
                serverTrouble("I/O error: " + ioFailure.getMessage(), 0);
                return;
            }
            ReplyKind kind = ctx.connector().classify(reply);
            Gate g = gates.computeIfAbsent(gateKey, k -> new Gate());
            String limit = reply.header(RATE_LIMIT_HEADER);
            synchronized (g) {
                if (limit != null) {
                    try {
                        g.ratePerSecond = Double.parseDouble(limit.trim());
                    } catch (NumberFormatException ignored) {
                        // keep what we knew
                    }
                }
                if (kind != ReplyKind.RATE_LIMITED && g.paced && g.ratePerSecond > 0) {
                    g.nextNanos = System.nanoTime() + (long) (1_000_000_000L / g.ratePerSecond);
                }
            }
            switch (kind) {
                case OK:
                    again = false;
                    return;
                case TOKEN_REJECTED:
                    if (!authorise || refreshed) {
                        again = false;
                        throw new SyncException(call + ": the platform rejects the credentials (HTTP "
                                + reply.status() + "): " + reply.excerpt(), false, reply.status(), null);
                    }
                    refreshed = true;
                    ctx.connector().tokenRejected(ctx);
                    log.info("Connection {}: access token rejected on {}; refreshing", ctx.spec().id(), call);
                    return;
                case RATE_LIMITED:
                    rateLimited(g);
                    return;
                case SERVER_ERROR:
                    serverTrouble("HTTP " + reply.status() + ": " + reply.excerpt(), reply.status());
                    return;
                default:
                    again = false;
                    throw new SyncException(call + " was rejected with HTTP " + reply.status() + ": "
                            + reply.excerpt(), false, reply.status(), null);
            }
        }

        private void rateLimited(Gate g) {
            rateLimitWaits++;
            Duration wait = retryAfter(reply.header("Retry-After"));
            synchronized (g) {
                if (wait == null) {
                    Duration base = g.ratePerSecond > 0
                            ? Duration.ofMillis((long) Math.ceil(1000 / g.ratePerSecond)) : settings.initialBackoff();
                    wait = base.multipliedBy(1L << Math.min(10, rateLimitWaits - 1));
                }
                if (rateLimitWaits > settings.maxRateLimitWaits() || wait.compareTo(settings.maxWait()) > 0) {
                    again = false;
                    throw new RateLimitedException(call + " is still rate limited after " + rateLimitWaits
                            + " waits", wait);
                }
                g.paced = true;
                g.nextNanos = System.nanoTime() + wait.toNanos();
            }
            log.info("Connection {}: rate limited on {}; waiting {} ms", ctx.spec().id(), call.operation(),
                    wait.toMillis());
        }

        private void serverTrouble(String what, int status) {
            if (attempts >= settings.maxAttempts()) {
                again = false;
                throw new SyncException(call + " failed " + attempts + " times; last: " + what, true, status,
                        ioFailure);
            }
            Duration wait = settings.initialBackoff().multipliedBy(1L << Math.min(10, attempts - 1));
            if (wait.compareTo(settings.maxWait()) > 0) wait = settings.maxWait();
            Gate g = gates.computeIfAbsent(gateKey, k -> new Gate());
            synchronized (g) {
                g.nextNanos = Math.max(g.nextNanos, System.nanoTime() + wait.toNanos());
            }
            log.info("Connection {}: {} on {}; attempt {} of {} in {} ms", ctx.spec().id(), what, call.operation(),
                    attempts + 1, settings.maxAttempts(), wait.toMillis());
        }
    }

    /** Retry-After as delta seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) return null;
        String v = value.trim();
        try {
            return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** Forgets pacing (tests; a restart does the same). */
    public void resetRateGates() {
        gates.clear();
    }

    /** Still rate limited after the waits allowed: the next run should not start before {@link #retryAfter()}. */
    public static final class RateLimitedException extends SyncException {
        private final Duration retryAfter;

        RateLimitedException(String message, Duration retryAfter) {
            super(message, true, 429, null);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }
}
