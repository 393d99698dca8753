package dev.caravan.integrations.marketplace;

/** What one run of one stream did. */
public record SyncResult(String stream, int pages, int orders, int customers, int skipped, int requests,
                         SyncCursor cursor, boolean stopped) {
}
