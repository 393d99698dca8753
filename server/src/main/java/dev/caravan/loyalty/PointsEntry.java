package dev.caravan.loyalty;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * One line of a customer's points ledger. Entries are only ever appended; the balance is their sum.
 *
 * @param id         derived from the source, so the same source always names the same entry
 * @param source     what caused the entry, the idempotency key: {@code order:<orderKey>}, {@code refund:<returnKey>},
 *                   {@code cancel:<orderKey>}, {@code review:<eventId>}, {@code birthday:<customer>:<year>},
 *                   {@code redeem:<customer>:<requestId>}, {@code adjust:<customer>:<requestId>},
 *                   {@code expire:<lotEntryId>}...
 * @param type       {@code earn}, {@code bonus}, {@code redeem}, {@code reverse}, {@code expire}, {@code adjust}
 * @param points     signed: positive credits, negative debits
 * @param at         when it was booked
 * @param occurredAt when the cause happened (order placed, refund issued); the expiry is counted from it
 * @param expiresAt  credits only: when the unspent rest of these points expires (null = never)
 * @param orderKey   the order an earn or reversal belongs to
 * @param amountBase earn: the order total; reversal for a refund: the refunded amount (base currency)
 * @param gross      earn: the points the order earned before any netting (equals points for now)
 * @param reason     bonus kind, adjustment reason, the coupon definition of a redemption, {@code cancelled}
 * @param ref        coupon code (redeem), return key (refund), lot entry id (expire)
 * @param actor      user or API key for manual entries, {@code system} otherwise
 * @param origin     the customer the entry was first booked for (merges keep it, unmerges use it)
 * @param detail     earn: base rate, multiplier, the rules that applied, rule version
 */
public record PointsEntry(String id, String source, String type, long points, Instant at, Instant occurredAt,
                          Instant expiresAt, String orderKey, BigDecimal amountBase, Long gross, String reason,
                          String ref, String actor, String origin, Map<String, Object> detail) {

    public static final String EARN = "earn";
    public static final String BONUS = "bonus";
    public static final String REDEEM = "redeem";
    public static final String REVERSE = "reverse";
    public static final String EXPIRE = "expire";
    public static final String ADJUST = "adjust";

    /** The entry id for a source: "e" + 20 hex digits of its SHA-256. */
    public static String idOf(String source) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
            return "e" + HexFormat.of().formatHex(d, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Builder of(String source, String type, long points) {
        return new Builder(source, type, points);
    }

    /** Builds entries; {@code at}, {@code origin} and the id are filled in when the entry is booked. */
    static final class Builder {
        private final String source;
        private final String type;
        private final long points;
        private Instant occurredAt;
        private Instant expiresAt;
        private String orderKey;
        private BigDecimal amountBase;
        private Long gross;
        private String reason;
        private String ref;
        private String actor = "system";
        private Map<String, Object> detail;

        private Builder(String source, String type, long points) {
            this.source = source;
            this.type = type;
            this.points = points;
        }

        Builder occurredAt(Instant v) { occurredAt = v; return this; }
        Builder expiresAt(Instant v) { expiresAt = v; return this; }
        Builder orderKey(String v) { orderKey = v; return this; }
        Builder amountBase(BigDecimal v) { amountBase = v; return this; }
        Builder gross(Long v) { gross = v; return this; }
        Builder reason(String v) { reason = v; return this; }
        Builder ref(String v) { ref = v; return this; }
        Builder actor(String v) { actor = v == null ? "system" : v; return this; }
        Builder detail(Map<String, Object> v) { detail = v; return this; }

        String source() { return source; }

        PointsEntry book(Instant at, String origin) {
            return new PointsEntry(idOf(source), source, type, points, at, occurredAt == null ? at : occurredAt,
                    points > 0 ? expiresAt : null, orderKey, amountBase, gross, reason, ref, actor, origin, detail);
        }
    }
}
