package dev.caravan.integrations.marketplace;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The marketplace routes:
 * <ul>
 *   <li>{@code timer:marketplace-scheduler} asks the server for due connections and queues them on</li>
 *   <li>{@code seda:marketplace-sync-queue}, whose consumers (as many as syncs may run at once) run them;</li>
 *   <li>{@code direct:marketplace-sync} runs one stream of one connection: a loop over pages, each stored by the
 *       server before the next is requested;</li>
 *   <li>{@code direct:marketplace-http} sends one call: a loop over attempts around Camel's HTTP component that
 *       refreshes tokens, waits out rate limits and backs off after server errors.</li>
 * </ul>
 * Nothing here knows about storage: the server implements {@link SyncListener} and {@link SyncHost}.
 */
public class MarketplaceRoutes extends RouteBuilder {

    private static final Logger log = LoggerFactory.getLogger(MarketplaceRoutes.class);

    public static final String SYNC = "direct:marketplace-sync";
    public static final String HTTP = "direct:marketplace-http";
    public static final String QUEUE = "seda:marketplace-sync-queue";
    static final String HTTP_COMPONENT = "marketplacehttp";
    private static final String RUN = "caravanSyncRun";

    /**
     * @param schedulerPeriod how often the timer asks for due connections; null disables the timer route
     * @param concurrentSyncs syncs running at once (queue consumers)
     * @param windowLag       how far behind "now" a polling window ends (platforms settle late writes; Amazon
     *                        requires LastUpdatedBefore at least two minutes in the past)
     */
    public record Options(HttpSettings http, Duration windowLag, Duration schedulerPeriod, int concurrentSyncs) {
    }

    private final Options options;
    private final Clock clock;
    private final TokenCache tokens = new TokenCache();
    private final Map<MarketplaceType, MarketplaceConnector> connectors = new EnumMap<>(MarketplaceType.class);
    private final SyncHost host;
    private volatile MarketplaceHttp http;
    private volatile org.apache.camel.ProducerTemplate producer;
    private volatile java.util.concurrent.ExecutorService prefetcher;

    public MarketplaceRoutes(Options options, Clock clock, SyncHost host) {
        this.options = options;
        this.clock = clock;
        this.host = host;
        register(new AmazonConnector());
        register(new EbayConnector());
        register(new ShopifyConnector());
        register(new AliExpressConnector());
    }

    private void register(MarketplaceConnector c) {
        connectors.put(c.type(), c);
    }

    public MarketplaceConnector connector(MarketplaceType type) {
        return connectors.get(type);
    }

    public TokenCache tokens() {
        return tokens;
    }

    public MarketplaceHttp http() {
        if (http == null) {
            synchronized (this) {
                if (http == null) http = new MarketplaceHttp(getCamelContext(), options.http());
            }
        }
        return http;
    }

    @Override
    public void configure() {
        HttpComponent component = new HttpComponent();
        long timeout = options.http().timeout().toMillis();
        component.setConnectTimeout(timeout);
        component.setResponseTimeout(timeout);
        component.setSoTimeout(timeout);
        component.setConnectionRequestTimeout(timeout);
        component.setConnectionsPerRoute(Math.max(4, options.concurrentSyncs() * 2));
        getCamelContext().addComponent(HTTP_COMPONENT, component);

        if (options.schedulerPeriod() != null) {
            fromF("timer:marketplace-scheduler?period=%d&delay=%d", options.schedulerPeriod().toMillis(),
                    Math.min(5000, options.schedulerPeriod().toMillis()))
                    .routeId("marketplace-scheduler")
                    .process(e -> e.getMessage().setBody(claimDueQuietly()))
                    .split(body())
                    .to(QUEUE + "?blockWhenFull=true");
        }

        fromF("%s?concurrentConsumers=%d", QUEUE, Math.max(1, options.concurrentSyncs()))
                .routeId("marketplace-sync-queue")
                .errorHandler(noErrorHandler())
                .process(e -> host.runClaimed(e.getMessage().getBody(String.class)));

        from(SYNC).routeId("marketplace-sync")
                .errorHandler(noErrorHandler())
                .process(e -> e.setProperty(RUN, new Run(e.getMessage().getBody(SyncRequest.class))))
                .loopDoWhile(e -> run(e).hasMore())
                    .process(e -> run(e).nextPage())
                .end()
                .process(e -> e.getMessage().setBody(run(e).result()));

        from(HTTP).routeId("marketplace-http")
                .errorHandler(noErrorHandler())
                .loopDoWhile(e -> MarketplaceHttp.state(e).again)
                    .process(e -> MarketplaceHttp.state(e).gate(e))
                    .delay(exchangeProperty(MarketplaceHttp.WAIT)).syncDelayed()
                    .process(e -> MarketplaceHttp.state(e).prepare(e))
                    .doTry()
                        .toF("%s://marketplace?throwExceptionOnFailure=false&followRedirects=false", HTTP_COMPONENT)
                        .process(e -> MarketplaceHttp.state(e).received(e))
                    .doCatch(IOException.class)
                        .process(e -> MarketplaceHttp.state(e).failed(e))
                    .end()
                    .process(e -> MarketplaceHttp.state(e).decide(e))
                .end();
    }

    private List<String> claimDueQuietly() {
        try {
            return host.claimDue();
        } catch (RuntimeException e) {
            log.warn("Could not read the due marketplace connections: {}", e.toString());
            return List.of();
        }
    }

    /** Runs one stream of one connection in the calling thread; throws {@link SyncException} when it fails. */
    public SyncResult sync(SyncRequest request) {
        Exchange exchange = new DefaultExchange(getCamelContext());
        exchange.getMessage().setBody(request);
        producer().send(SYNC, exchange);
        Exception e = exchange.getException();
        if (e != null) {
            if (e instanceof SyncException) throw (SyncException) e;
            if (e instanceof RuntimeException) throw (RuntimeException) e;
            throw new SyncException(e.getMessage(), true, 0, e);
        }
        return exchange.getMessage().getBody(SyncResult.class);
    }

    private java.util.concurrent.ExecutorService prefetcher() {
        if (prefetcher == null) {
            synchronized (this) {
                if (prefetcher == null) {
                    prefetcher = getCamelContext().getExecutorServiceManager()
                            .newCachedThreadPool(this, "marketplace-prefetch");
                }
            }
        }
        return prefetcher;
    }

    private org.apache.camel.ProducerTemplate producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) producer = getCamelContext().createProducerTemplate();
            }
        }
        return producer;
    }

    private static Run run(Exchange e) {
        return e.getProperty(RUN, Run.class);
    }

    /** The paging loop's state. */
    private final class Run {
        final SyncRequest request;
        final SyncContext ctx;
        SyncCursor cursor;
        int pages, orders, customers, skipped;
        boolean done, stopped, windowRestarted;
        /** The next page, requested while the current one is stored. */
        java.util.concurrent.Future<HttpReply> prefetch;
        SyncCursor prefetchCursor;

        Run(SyncRequest request) {
            this.request = request;
            MarketplaceConnector connector = connectors.get(request.spec().type());
            this.ctx = new SyncContext(request.spec(), connector, http(), tokens, clock, request.listener());
            SyncCursor c = request.cursor() != null ? request.cursor() : SyncCursor.startingAt(request.initialFrom());
            if (!c.inWindow()) {
                Instant until = clock.instant().minus(options.windowLag());
                if (c.from() != null && !until.isAfter(c.from())) {
                    done = true; // nothing new can be asked for yet
                } else {
                    c = c.window(until);
                }
            }
            this.cursor = c;
        }

        boolean hasMore() {
            if (!done && pages > 0 && request.listener().stopRequested()) {
                stopped = true;
            }
            if (done || stopped) {
                cancelPrefetch();
                return false;
            }
            return true;
        }

        private void cancelPrefetch() {
            if (prefetch != null) prefetch.cancel(true);
            prefetch = null;
            prefetchCursor = null;
        }

        private HttpReply fetch(SyncCursor c) {
            if (prefetch != null && c.equals(prefetchCursor)) {
                java.util.concurrent.Future<HttpReply> f = prefetch;
                prefetch = null;
                prefetchCursor = null;
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SyncException("interrupted while fetching a page", true);
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException) throw (RuntimeException) cause;
                    throw new SyncException(String.valueOf(cause), true, 0, cause);
                }
            }
            cancelPrefetch();
            return ctx.send(ctx.connector().pageRequest(ctx, request.stream(), c));
        }

        void nextPage() {
            String stream = request.stream();
            HttpReply reply;
            try {
                reply = fetch(cursor);
            } catch (SyncException e) {
                if (!e.retryable() && e.status() == 400 && cursor.page() != null && !windowRestarted) {
                    // a paging token the platform no longer accepts: read the window again (writes are idempotent)
                    log.warn("Connection {} {}: the platform rejects the saved page position; re-reading the window",
                            request.spec().id(), stream);
                    windowRestarted = true;
                    cursor = cursor.restartWindow();
                    return;
                }
                throw e;
            }
            SyncPage page;
            try {
                page = ctx.connector().readPage(ctx, stream, cursor, reply);
            } catch (MalformedRecordException e) {
                throw new SyncException("connection " + request.spec().id() + " " + stream
                        + ": a page could not be read (" + e.getMessage() + ")", true, reply.status(), null);
            }
            if (!page.windowComplete()) {
                // ask for the next page while this one is stored
                HttpCall next = ctx.connector().pageRequest(ctx, stream, page.next());
                prefetchCursor = page.next();
                prefetch = prefetcher().submit(() -> ctx.send(next));
            }
            try {
                request.listener().onPage(page);
            } catch (RuntimeException e) {
                cancelPrefetch();
                throw e;
            }
            pages++;
            orders += page.orders().size();
            customers += page.customers().size();
            skipped += page.skipped().size();
            cursor = page.next();
            if (page.windowComplete()) done = true;
        }

        SyncResult result() {
            return new SyncResult(request.stream(), pages, orders, customers, skipped, ctx.requests(), cursor, stopped);
        }
    }

    /** Orders of a page and the skipped records, collected while reading it. */
    static final class PageBuilder {
        final List<MarketplaceOrder> orders = new ArrayList<>();
        final List<MarketplaceBuyer> customers = new ArrayList<>();
        final List<SkippedRecord> skipped = new ArrayList<>();

        void skip(String reference, String reason) {
            skipped.add(new SkippedRecord(reference, reason));
        }

        SyncPage build(String stream, SyncCursor current, SyncCursor next, boolean complete) {
            return new SyncPage(stream, current, orders, customers, skipped, next, complete);
        }
    }
}
