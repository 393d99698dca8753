package dev.caravan.connector;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.integrations.marketplace.SyncCursor;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One connected seller account. Credentials are one sealed (encrypted) JSON object bound to the connection id;
 * only their names are readable. Status fields are written field by field ({@code $set}/{@code $inc}) by the
 * sync and the webhook receiver, so concurrent writers never overwrite each other.
 */
@Document("connections")
public class Connection {

    @MongoId(FieldType.STRING)
    private String id;
    private String type;
    private String name;
    private boolean enabled;
    /** Whether the scheduler polls it (Shopify only with backfill and an access token). */
    private boolean polled;
    private String storeId;
    /** One connection per seller account (and marketplace): e.g. {@code amazon:A2SELLER:ATVPDKIKX0DER}. */
    @Indexed(unique = true)
    private String accountKey;
    private Map<String, String> settings = new LinkedHashMap<>();
    private String sealedCredentials;
    private List<String> credentialNames = List.of();
    private String baseUrl;
    private String authUrl;
    private long pollSeconds;
    private Instant syncFrom;
    /** Orders changed on the platform after this are "live" (journeys react); older ones are history. */
    private Instant liveFrom;
    private Map<String, SyncCursor> cursors = new LinkedHashMap<>();

    private String state = "idle";
    private Instant lastSyncAt;
    private Instant lastSuccessAt;
    private String lastError;
    private long errorCount;
    private int consecutiveFailures;
    @Indexed
    private Instant nextRunAt;
    private Instant leaseUntil;
    private String leaseOwner;
    private long ordersSynced;
    private long customersSynced;
    private long skippedRecords;
    private long webhooksReceived;
    private long webhooksRejected;
    private List<String> lastSkipped = List.of();

    private Instant createdAt;
    private String createdBy;
    private Instant updatedAt;

    public String getId() { return id; }
    public String getType() { return type; }
    public String getName() { return name; }
    public boolean isEnabled() { return enabled; }
    public boolean isPolled() { return polled; }
    public String getStoreId() { return storeId; }
    public String getAccountKey() { return accountKey; }
    public Map<String, String> getSettings() { return settings == null ? Map.of() : settings; }
    public String getSealedCredentials() { return sealedCredentials; }
    public List<String> getCredentialNames() { return credentialNames == null ? List.of() : credentialNames; }
    public String getBaseUrl() { return baseUrl; }
    public String getAuthUrl() { return authUrl; }
    public long getPollSeconds() { return pollSeconds; }
    public Instant getSyncFrom() { return syncFrom; }
    public Instant getLiveFrom() { return liveFrom; }
    public Map<String, SyncCursor> getCursors() { return cursors == null ? Map.of() : cursors; }
    public String getState() { return state; }
    public Instant getLastSyncAt() { return lastSyncAt; }
    public Instant getLastSuccessAt() { return lastSuccessAt; }
    public String getLastError() { return lastError; }
    public long getErrorCount() { return errorCount; }
    public int getConsecutiveFailures() { return consecutiveFailures; }
    public Instant getNextRunAt() { return nextRunAt; }
    public Instant getLeaseUntil() { return leaseUntil; }
    public String getLeaseOwner() { return leaseOwner; }
    public long getOrdersSynced() { return ordersSynced; }
    public long getCustomersSynced() { return customersSynced; }
    public long getSkippedRecords() { return skippedRecords; }
    public long getWebhooksReceived() { return webhooksReceived; }
    public long getWebhooksRejected() { return webhooksRejected; }
    public List<String> getLastSkipped() { return lastSkipped == null ? List.of() : lastSkipped; }
    public Instant getCreatedAt() { return createdAt; }
    public String getCreatedBy() { return createdBy; }
    public Instant getUpdatedAt() { return updatedAt; }

    void setId(String id) { this.id = id; }
    void setType(String type) { this.type = type; }
    void setName(String name) { this.name = name; }
    void setEnabled(boolean enabled) { this.enabled = enabled; }
    void setPolled(boolean polled) { this.polled = polled; }
    void setStoreId(String storeId) { this.storeId = storeId; }
    void setAccountKey(String accountKey) { this.accountKey = accountKey; }
    void setSettings(Map<String, String> settings) { this.settings = new LinkedHashMap<>(settings); }
    void setSealedCredentials(String sealedCredentials) { this.sealedCredentials = sealedCredentials; }
    void setCredentialNames(List<String> credentialNames) { this.credentialNames = List.copyOf(credentialNames); }
    void setBaseUrl(String baseUrl) { this.baseUrl = baseUrl; }
    void setAuthUrl(String authUrl) { this.authUrl = authUrl; }
    void setPollSeconds(long pollSeconds) { this.pollSeconds = pollSeconds; }
    void setSyncFrom(Instant syncFrom) { this.syncFrom = syncFrom; }
    void setLiveFrom(Instant liveFrom) { this.liveFrom = liveFrom; }
    void setNextRunAt(Instant nextRunAt) { this.nextRunAt = nextRunAt; }
    void setCreatedAt(Instant createdAt) { this.createdAt = createdAt; }
    void setCreatedBy(String createdBy) { this.createdBy = createdBy; }
    void setUpdatedAt(Instant updatedAt) { this.updatedAt = updatedAt; }
}
