package dev.caravan.messaging;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import java.time.Duration;
import java.time.Instant;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Per-address facts the channels teach us, read by id: addresses that hard-bounced (never used again until a person
 * clears them), and WhatsApp conversations (the customer's last message opens the 24-hour service window).
 */
@Component
class AddressBook {

    /**
     * An address that must not be used: {@code _id} is the channel and the blind index of the lower-case address
     * ({@code email:<hash>}, see security.BlindIndex), so no plaintext address is stored.
     */
    @Document("suppressed_addresses")
    record SuppressedAddress(@MongoId(FieldType.STRING) String key, String reason, Instant at, String messageId) {
    }

    /** The last inbound WhatsApp message of a number ({@code _id}: {@code wa:} and the blind index of the number). */
    @Document("whatsapp_sessions")
    record WhatsAppSession(@MongoId(FieldType.STRING) String waId, Instant lastInboundAt) {
    }

    /** Blocked addresses are few and read on every send: kept in memory, refreshed every few seconds. */
    private static final long REFRESH_MILLIS = 5000;

    private final MongoTemplate mongo;
    private final dev.caravan.security.BlindIndex index;
    private volatile java.util.Set<String> blocked = java.util.Set.of();
    private volatile long blockedAt;

    AddressBook(MongoTemplate mongo, dev.caravan.security.BlindIndex index) {
        this.mongo = mongo;
        this.index = index;
    }

    private java.util.Set<String> blocked() {
        long now = System.currentTimeMillis();
        if (now - blockedAt > REFRESH_MILLIS) {
            java.util.Set<String> keys = java.util.concurrent.ConcurrentHashMap.newKeySet();
            Query all = new Query();
            all.fields().include("_id");
            mongo.find(all, SuppressedAddress.class).forEach(a -> keys.add(a.key()));
            blocked = keys;
            blockedAt = now;
        }
        return blocked;
    }

    String key(Channel channel, String address) {
        String plain = channel.id() + ":" + address.toLowerCase(java.util.Locale.ROOT);
        return channel.id() + ":" + index.hash(plain);
    }

    String sessionKey(String waId) {
        return "wa:" + index.hash("whatsapp:+" + waId);
    }

    /** Whether the address hard-bounced (this server sees other servers' bounces within a few seconds). */
    boolean isSuppressed(Channel channel, String address) {
        return blocked().contains(key(channel, address));
    }

    void suppress(Channel channel, String address, String reason, Instant at, String messageId) {
        mongo.save(new SuppressedAddress(key(channel, address), reason, at, messageId));
        blocked().add(key(channel, address));
    }

    void clear(Channel channel, String address) {
        mongo.remove(Query.query(Criteria.where("_id").is(key(channel, address))), SuppressedAddress.class);
        blockedAt = 0;
    }

    static String waId(String e164) {
        return e164.startsWith("+") ? e164.substring(1) : e164;
    }

    void inbound(String waId, Instant at) {
        mongo.upsert(Query.query(Criteria.where("_id").is(sessionKey(waId))), new Update().max("lastInboundAt", at),
                WhatsAppSession.class);
    }

    boolean insideServiceWindow(String e164, Instant now, Duration window) {
        WhatsAppSession s = mongo.findById(sessionKey(waId(e164)), WhatsAppSession.class);
        return s != null && s.lastInboundAt() != null && s.lastInboundAt().isAfter(now.minus(window));
    }
}
