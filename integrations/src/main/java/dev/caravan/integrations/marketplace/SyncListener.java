package dev.caravan.integrations.marketplace;

/** The server's side of a sync: stores pages and secrets the routes obtain. Called on the sync's thread. */
public interface SyncListener {

    /** Stores the page's records and then saves {@link SyncPage#next()}; throwing stops the sync. */
    void onPage(SyncPage page);

    /** The platform rotated the refresh token: keep the new one (encrypted) for the next run. */
    default void onRefreshTokenRotated(String refreshToken) {
    }

    /** Asked between pages; true stops the sync cleanly (connection disabled, server shutting down). */
    default boolean stopRequested() {
        return false;
    }
}
