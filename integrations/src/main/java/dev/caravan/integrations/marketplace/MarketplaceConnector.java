package dev.caravan.integrations.marketplace;

/**
 * What differs between platforms: how calls are authorised, how replies are classified, how a page of a stream
 * is requested and read. The paging loop, retries and rate limiting are shared ({@link MarketplaceRoutes}).
 */
public interface MarketplaceConnector {

    MarketplaceType type();

    /** Adds credentials to a call, obtaining an access token first when none is cached. */
    HttpCall authorise(HttpCall call, SyncContext ctx);

    /** The platform rejected the access token: forget it so the next attempt refreshes. */
    default void tokenRejected(SyncContext ctx) {
        ctx.tokens().forget(ctx.spec().id());
    }

    ReplyKind classify(HttpReply reply);

    /** The request for the page of {@code stream} the cursor points at (the cursor is inside a window). */
    HttpCall pageRequest(SyncContext ctx, String stream, SyncCursor cursor);

    /**
     * Reads a page; records that cannot be read are returned as skipped. Throws {@link MalformedRecordException}
     * when the page itself cannot be read (then the position of the next page is unknown).
     */
    SyncPage readPage(SyncContext ctx, String stream, SyncCursor cursor, HttpReply reply);
}
