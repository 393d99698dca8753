package dev.caravan.connector;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.caravan.integrations.marketplace.SyncCursor;

/**
 * A connection as the API shows it: settings, the names of the credentials that are set (never their values),
 * and its sync status.
 *
 * @param webhookUrl path Shopify must post webhooks to (Shopify connections only)
 */
public record ConnectionView(String id, String type, String name, boolean enabled, String storeId,
                             Map<String, String> settings, List<String> credentialsSet, String baseUrl,
                             String authUrl, String pollInterval, Instant syncFrom, String webhookUrl,
                             Status status, Instant createdAt, String createdBy, Instant updatedAt) {

    /**
     * @param state            idle, running, failed or disabled
     * @param lastSyncAt       when the last sync ended (successful or not)
     * @param errorCount       failed syncs since the connection was created
     * @param consecutiveFailures failed syncs since the last success (drives the retry delay)
     * @param nextRunAt        when the scheduler runs it next; null when it is not polled or disabled
     * @param skippedRecords   records skipped as malformed or unusable (see lastSkipped)
     */
    public record Status(String state, Instant lastSyncAt, Instant lastSuccessAt, String lastError, long errorCount,
                         int consecutiveFailures, Instant nextRunAt, boolean polled, long ordersSynced,
                         long customersSynced, long skippedRecords, long webhooksReceived, long webhooksRejected,
                         List<String> lastSkipped, Map<String, SyncCursor> cursors) {
    }

    static ConnectionView of(Connection c, Instant now) {
        boolean running = c.getLeaseUntil() != null && c.getLeaseUntil().isAfter(now);
        String state = !c.isEnabled() ? "disabled" : running ? "running" : c.getState();
        Status status = new Status(state, c.getLastSyncAt(), c.getLastSuccessAt(), c.getLastError(),
                c.getErrorCount(), c.getConsecutiveFailures(), c.isEnabled() && c.isPolled() ? c.getNextRunAt() : null,
                c.isPolled(), c.getOrdersSynced(), c.getCustomersSynced(), c.getSkippedRecords(),
                c.getWebhooksReceived(), c.getWebhooksRejected(), c.getLastSkipped(), c.getCursors());
        return new ConnectionView(c.getId(), c.getType(), c.getName(), c.isEnabled(), c.getStoreId(),
                c.getSettings(), c.getCredentialNames(), c.getBaseUrl(), c.getAuthUrl(),
                java.time.Duration.ofSeconds(c.getPollSeconds()).toString(), c.getSyncFrom(),
                "shopify".equals(c.getType()) ? "/webhooks/shopify/" + c.getId() : null, status, c.getCreatedAt(),
                c.getCreatedBy(), c.getUpdatedAt());
    }
}
