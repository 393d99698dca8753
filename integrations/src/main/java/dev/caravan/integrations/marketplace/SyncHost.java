package dev.caravan.integrations.marketplace;

/**
 * The server's part in scheduling: the timer route asks it which connections are due (it claims them), and the
 * sync queue's consumers ask it to run one. Keeping this behind an interface keeps the routes free of storage.
 */
public interface SyncHost {

    /** Claims the connections due now and returns their ids (each is queued once). */
    java.util.List<String> claimDue();

    /** Runs the sync of one claimed connection (on a queue consumer thread). */
    void runClaimed(String connectionId);
}
