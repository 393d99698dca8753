package dev.caravan.integrations.marketplace;

import java.time.Instant;

/**
 * Run one stream of one connection from its saved cursor.
 *
 * @param cursor      the saved cursor, or null for the first run
 * @param initialFrom where the very first window starts (the connection's sync-from date)
 */
public record SyncRequest(ConnectionSpec spec, String stream, SyncCursor cursor, Instant initialFrom,
                          SyncListener listener) {
}
