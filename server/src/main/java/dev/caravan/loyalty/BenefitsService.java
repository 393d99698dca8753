package dev.caravan.loyalty;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.FieldError;
import dev.caravan.loyalty.coupon.CouponDefinitions;
import dev.caravan.rules.Vocabulary;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/**
 * Membership benefits per level, stored as one document ({@code loyalty_benefits}, {@code _id = "levels"}) that
 * marketers replace through the API (validated: known levels, percentages 0..100, existing coupon definitions).
 * Until the first edit the packaged defaults apply. Read by every template render, so the document is cached and
 * re-read when older than a few seconds (other servers' edits arrive within that time).
 */
@Service
public class BenefitsService {

    static final String ID = "levels";
    private static final long CACHE_MILLIS = 3000;

    @Document("loyalty_benefits")
    record Stored(@MongoId(FieldType.STRING) String id, Map<String, LevelBenefits> levels, long version,
                  String updatedBy, Instant updatedAt) {
    }

    /** The benefits of every level, with who changed them last. */
    public record Benefits(Map<String, LevelBenefits> levels, long version, String updatedBy, Instant updatedAt) {
    }

    static final Map<String, LevelBenefits> DEFAULTS = defaults();

    private final MongoTemplate mongo;
    private final CouponDefinitions coupons;
    private final Clock clock;
    private volatile Benefits cached;
    private volatile long cachedAt;

    BenefitsService(MongoTemplate mongo, CouponDefinitions coupons, Clock clock) {
        this.mongo = mongo;
        this.coupons = coupons;
        this.clock = clock;
    }

    private static Map<String, LevelBenefits> defaults() {
        Map<String, LevelBenefits> m = new LinkedHashMap<>();
        m.put("silver", new LevelBenefits(BigDecimal.ZERO, false,
                new LevelBenefits.BirthdayGift(50, null, "50 birthday points"), false, "Silver member"));
        m.put("gold", new LevelBenefits(BigDecimal.valueOf(5), true,
                new LevelBenefits.BirthdayGift(100, null, "100 birthday points"), false,
                "Gold member: 5% off and free shipping"));
        m.put("diamond", new LevelBenefits(BigDecimal.TEN, true,
                new LevelBenefits.BirthdayGift(200, null, "200 birthday points"), true,
                "Diamond member: 10% off, free shipping and early access"));
        return java.util.Collections.unmodifiableMap(m);
    }

    public Benefits current() {
        Benefits b = cached;
        long now = System.currentTimeMillis();
        if (b == null || now - cachedAt > CACHE_MILLIS) {
            Stored s = mongo.findById(ID, Stored.class);
            b = s == null ? new Benefits(DEFAULTS, 0, null, null)
                    : new Benefits(s.levels(), s.version(), s.updatedBy(), s.updatedAt());
            cached = b;
            cachedAt = now;
        }
        return b;
    }

    /** Drops the cached document (tests that empty the store). */
    void forget() {
        cached = null;
    }

    /** The benefits of a level; null for no level or a level without benefits. */
    public LevelBenefits of(String level) {
        return level == null ? null : current().levels().get(level);
    }

    /** Replaces every level's benefits (levels left out have none). */
    public Benefits replace(Map<String, LevelBenefits> levels, String actor) {
        List<FieldError> errors = new ArrayList<>();
        if (levels == null) throw new BadRequestException("levels is required: level -> benefits");
        Map<String, LevelBenefits> clean = new LinkedHashMap<>();
        for (String level : Vocabulary.LEVEL_ORDER) {
            if (levels.containsKey(level) && levels.get(level) != null) clean.put(level, levels.get(level));
        }
        levels.keySet().stream().filter(l -> !Vocabulary.LEVELS.contains(l)).forEach(l ->
                errors.add(new FieldError("levels." + l, "not a level; levels are " + Vocabulary.LEVEL_ORDER)));
        clean.forEach((level, b) -> {
            String p = "levels." + level;
            if (b.discountPercent() != null && (b.discountPercent().signum() < 0
                    || b.discountPercent().compareTo(BigDecimal.valueOf(100)) > 0)) {
                errors.add(new FieldError(p + ".discountPercent", "must be 0..100"));
            }
            if (b.description() != null && b.description().length() > 500) {
                errors.add(new FieldError(p + ".description", "at most 500 characters"));
            }
            LevelBenefits.BirthdayGift g = b.birthdayGift();
            if (g != null) {
                if (g.points() < 0 || g.points() > 1_000_000) errors.add(new FieldError(p + ".birthdayGift.points", "must be 0..1000000"));
                if (g.description() != null && g.description().length() > 500) {
                    errors.add(new FieldError(p + ".birthdayGift.description", "at most 500 characters"));
                }
                if (g.couponDefinitionId() != null) {
                    try {
                        coupons.get(g.couponDefinitionId());
                    } catch (RuntimeException e) {
                        errors.add(new FieldError(p + ".birthdayGift.couponDefinitionId", e.getMessage()));
                    }
                }
            }
        });
        if (!errors.isEmpty()) throw new BadRequestException("the benefits are invalid; nothing was changed", errors);
        Map<String, LevelBenefits> normalised = new LinkedHashMap<>();
        clean.forEach((level, b) -> normalised.put(level, new LevelBenefits(
                b.discountPercent() == null ? BigDecimal.ZERO : b.discountPercent(), b.freeShipping(), b.birthdayGift(),
                b.earlyAccess(), b.description())));
        Stored s = mongo.findAndModify(Query.query(Criteria.where("_id").is(ID)), new Update().set("levels", normalised)
                .set("updatedBy", actor).set("updatedAt", clock.instant()).inc("version", 1),
                FindAndModifyOptions.options().upsert(true).returnNew(true), Stored.class);
        cached = null;
        return new Benefits(s.levels(), s.version(), s.updatedBy(), s.updatedAt());
    }

    /** Template and profile form of a level's benefits. */
    static Map<String, Object> asVariables(LevelBenefits b) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (b == null) return m;
        m.put("discountPercent", b.discountPercent() == null ? "0" : b.discountPercent().stripTrailingZeros().toPlainString());
        m.put("freeShipping", b.freeShipping());
        m.put("earlyAccess", b.earlyAccess());
        m.put("description", b.description());
        if (b.birthdayGift() != null) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("points", b.birthdayGift().points());
            g.put("description", b.birthdayGift().description());
            g.put("couponDefinitionId", b.birthdayGift().couponDefinitionId());
            m.put("birthdayGift", g);
        }
        return m;
    }
}
