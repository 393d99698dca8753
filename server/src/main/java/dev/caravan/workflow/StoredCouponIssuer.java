package dev.caravan.workflow;

import java.security.SecureRandom;
import java.time.Clock;

import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * Simple default coupons until the loyalty feature provides real ones: 10-character codes from an alphabet without
 * look-alike characters (no 0/O, 1/I/L), drawn from a SecureRandom (about 47 bits), unique in {@code journey_coupons}
 * whose {@code _id} is the code. The idempotency key is a unique field too, so a retried step gets the same code.
 */
public class StoredCouponIssuer implements CouponIssuer {

    static final String COLLECTION = "journey_coupons";
    static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    private static final int LENGTH = 10;

    private final MongoTemplate mongo;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public StoredCouponIssuer(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
        mongo.indexOps(COLLECTION).createIndex(new org.springframework.data.mongodb.core.index.Index("key",
                org.springframework.data.domain.Sort.Direction.ASC).unique());
    }

    @Override
    public Coupon issue(CouponRequest r) {
        Document existing = mongo.findOne(Query.query(Criteria.where("key").is(r.idempotencyKey())), Document.class, COLLECTION);
        if (existing != null) return toCoupon(existing);
        for (int attempt = 0; attempt < 5; attempt++) {
            String code = newCode();
            Document doc = new Document("_id", code).append("key", r.idempotencyKey()).append("customerId", r.customerId())
                    .append("value", r.value()).append("expiresAt", java.util.Date.from(r.expiresAt()))
                    .append("purpose", r.purpose()).append("issuedAt", java.util.Date.from(clock.instant()))
                    .append("redeemed", false);
            try {
                mongo.insert(doc, COLLECTION);
                return toCoupon(doc);
            } catch (DuplicateKeyException e) {
                Document again = mongo.findOne(Query.query(Criteria.where("key").is(r.idempotencyKey())), Document.class, COLLECTION);
                if (again != null) return toCoupon(again);
                // a code collision: draw again
            }
        }
        throw new IllegalStateException("could not draw a unique coupon code");
    }

    @Override
    public java.util.Optional<Coupon> find(String code) {
        if (code == null || code.isBlank()) return java.util.Optional.empty();
        Document d = mongo.getCollection(COLLECTION).find(new Document("_id", code)).first();
        return d == null ? java.util.Optional.empty() : java.util.Optional.of(toCoupon(d));
    }

    String newCode() {
        char[] c = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) c[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        return new String(c);
    }

    private static Coupon toCoupon(Document d) {
        return new Coupon(d.getString("_id"), d.getString("value"), d.getDate("expiresAt").toInstant());
    }
}
