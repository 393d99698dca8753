package dev.caravan.integrations.marketplace;

import java.time.Instant;

/**
 * Where a stream's polling stands. A run reads the window of changes {@code (from, until]}; {@code until} is fixed
 * when the window starts (a little before "now", so late writes on the platform are not missed), and {@code page}
 * is the platform's position inside the window (Amazon NextToken, eBay offset, Shopify page_info, AliExpress page
 * number). The cursor is saved after every page that was stored, so a restart continues with the next page; when
 * the window is done the next one starts at its end.
 */
public record SyncCursor(Instant from, Instant until, String page) {

    public static SyncCursor startingAt(Instant from) {
        return new SyncCursor(from, null, null);
    }

    public boolean inWindow() {
        return until != null;
    }

    public SyncCursor window(Instant until) {
        return new SyncCursor(from, until, null);
    }

    public SyncCursor atPage(String page) {
        return new SyncCursor(from, until, page);
    }

    /** The next window starts where this one ended. */
    public SyncCursor completed() {
        return new SyncCursor(until, null, null);
    }

    /** The same window from its first page (a paging token the platform no longer accepts). */
    public SyncCursor restartWindow() {
        return new SyncCursor(from, until, null);
    }
}
