package dev.caravan.messaging;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;
import org.springframework.data.mongodb.core.mapping.FieldType;

/**
 * One message: the request, the decision taken on it and everything that happened since. It is the outbox entry
 * too: it is written once, in a single document write, with its decision ({@code queued}, {@code deferred} or
 * {@code suppressed}); {@code pending} messages are picked up by the Camel consumers. The {@code _id} derives from
 * the idempotency key, so a repeated request finds the same document.
 */
@Document("messages")
// The embedded store uses an index only when a query's fields are exactly an index's fields, so the conditional
// single-document updates of the outbox (by id and lease) get unique compound indexes of exactly their shape.
@CompoundIndex(name = "id_lease_pending", def = "{'_id': 1, 'leaseOwner': 1, 'pending': 1}", unique = true)
@CompoundIndex(name = "id_lease", def = "{'_id': 1, 'leaseOwner': 1}", unique = true)
public class OutboxMessage {

    /** One line of the message's history. */
    public record Event(Instant at, String status, String detail) {
    }

    @MongoId(FieldType.STRING)
    private String id;
    @Indexed(unique = true)
    private String idempotencyKey;
    @Indexed
    private String customerId;
    private String channel;
    private String template;
    private String language;
    private String purpose;
    /** Template parameters (may hold names, coupon codes): encrypted at rest. */
    @dev.caravan.security.Encrypted
    private Map<String, Object> params;
    private String journeyId;
    private String journeyInstanceId;
    private String stepId;
    private String campaignId;
    private String source;
    private String requestedBy;

    @Indexed
    private String status;
    private Reason reason;
    /** True while the outbox still has to act on it (queued, deferred, sending). */
    @Indexed
    private boolean pending;
    private Instant dueAt;
    private String leaseOwner;
    private Instant leaseUntil;
    private int attempts;
    private String lastError;

    /** The address used (e-mail, phone, buyer id): encrypted at rest. */
    @dev.caravan.security.Encrypted
    private String recipient;
    private Integer templateVersion;
    private String providerMessageId;
    /** Secret for the unsubscribe link; unique, so the public endpoint finds the message by it. */
    @Indexed(unique = true)
    private String unsubscribeToken;

    private Instant createdAt;
    private Instant updatedAt;
    private Instant sentAt;
    private Instant deliveredAt;
    private Instant readAt;
    private Instant bouncedAt;
    private Instant failedAt;
    private Instant suppressedAt;
    private int conversions;
    @Field(targetType = FieldType.DECIMAL128)
    private BigDecimal revenueBase;
    private List<Event> history = new ArrayList<>();

    protected OutboxMessage() {
    }

    OutboxMessage(String id, String idempotencyKey, SendRequest r, Channel channel, Purpose purpose, String requestedBy,
                  String unsubscribeToken, Instant now) {
        this.id = id;
        this.idempotencyKey = idempotencyKey;
        this.customerId = r.customerId();
        this.channel = channel.id();
        this.template = r.template();
        this.language = r.language();
        this.purpose = purpose.id();
        this.params = r.params();
        this.journeyId = r.journeyId();
        this.journeyInstanceId = r.journeyInstanceId();
        this.stepId = r.stepId();
        this.campaignId = r.campaignId();
        this.source = r.source() == null ? "api" : r.source();
        this.requestedBy = requestedBy;
        this.unsubscribeToken = unsubscribeToken;
        this.createdAt = now;
        this.updatedAt = now;
        this.revenueBase = BigDecimal.ZERO;
    }

    void decide(MessageStatus status, Reason reason, Instant dueAt, Instant now) {
        this.status = status.name();
        this.reason = reason;
        this.pending = MessageStatus.PENDING.contains(status);
        this.dueAt = dueAt;
        if (status == MessageStatus.SUPPRESSED) this.suppressedAt = now;
        this.history = new ArrayList<>(List.of(new Event(now, status.id(), reason == null ? null : reason.message())));
    }

    void lease(String owner, Instant until) {
        this.leaseOwner = owner;
        this.leaseUntil = until;
    }

    public String getId() { return id; }
    public String getIdempotencyKey() { return idempotencyKey; }
    public String getCustomerId() { return customerId; }
    public String getChannel() { return channel; }
    public String getTemplate() { return template; }
    public String getLanguage() { return language; }
    public String getPurpose() { return purpose; }
    public Map<String, Object> getParams() { return params == null ? Map.of() : params; }
    public String getJourneyId() { return journeyId; }
    public String getJourneyInstanceId() { return journeyInstanceId; }
    public String getStepId() { return stepId; }
    public String getCampaignId() { return campaignId; }
    public String getSource() { return source; }
    public String getRequestedBy() { return requestedBy; }
    public MessageStatus status() { return MessageStatus.valueOf(status); }
    public Reason getReason() { return reason; }
    public boolean isPending() { return pending; }
    public Instant getDueAt() { return dueAt; }
    public String getLeaseOwner() { return leaseOwner; }
    public Instant getLeaseUntil() { return leaseUntil; }
    public int getAttempts() { return attempts; }
    public String getLastError() { return lastError; }
    public String getRecipient() { return recipient; }
    public Integer getTemplateVersion() { return templateVersion; }
    public String getProviderMessageId() { return providerMessageId; }
    String getUnsubscribeToken() { return unsubscribeToken; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
    public Instant getSentAt() { return sentAt; }
    public Instant getDeliveredAt() { return deliveredAt; }
    public Instant getReadAt() { return readAt; }
    public Instant getBouncedAt() { return bouncedAt; }
    public Instant getFailedAt() { return failedAt; }
    public Instant getSuppressedAt() { return suppressedAt; }
    public int getConversions() { return conversions; }
    public BigDecimal getRevenueBase() { return revenueBase == null ? BigDecimal.ZERO : revenueBase; }
    public List<Event> getHistory() { return history == null ? List.of() : history; }

    public Channel channel() { return Channel.of(channel); }
    public Purpose purpose() { return Purpose.of(purpose); }

    /** When the message reached the customer as far as the channel tells (delivery receipt, else acceptance). */
    public Instant reachedAt() {
        return deliveredAt != null ? deliveredAt : readAt != null ? readAt : sentAt;
    }
}
