package dev.caravan.loyalty.coupon;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.ConflictException;
import dev.caravan.common.web.FieldError;
import dev.caravan.common.web.NotFoundException;
import dev.caravan.common.web.PageResponse;
import dev.caravan.money.ExchangeRateService;
import dev.caravan.rules.Vocabulary;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/**
 * Coupon definitions: validated creation and replacement, lookup, and the automatic definitions created when a
 * journey or campaign issues a coupon by value only ({@code auto-journey-<id>}, {@code auto-campaign-<id>}).
 */
@Service
public class CouponDefinitions {

    static final Pattern ID = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
    private static final int MAX_TEXT = 500;

    private final MongoTemplate mongo;
    private final ExchangeRateService rates;
    private final Clock clock;

    CouponDefinitions(MongoTemplate mongo, ExchangeRateService rates, Clock clock) {
        this.mongo = mongo;
        this.rates = rates;
        this.clock = clock;
    }

    public CouponDefinition get(String id) {
        CouponDefinition d = id == null ? null : mongo.findById(id, CouponDefinition.class);
        if (d == null) throw new NotFoundException("coupon definition " + id + " not found");
        return d;
    }

    public PageResponse<CouponDefinition> list(int page, int size, boolean includeAuto) {
        if (page < 0 || size < 1 || size > 500) throw new BadRequestException("page must be >= 0 and size 1..500");
        Query q = includeAuto ? new Query() : Query.query(Criteria.where("auto").is(false));
        long total = mongo.count(q, CouponDefinition.class);
        q.with(Sort.by(Sort.Direction.DESC, "createdAt")).skip((long) page * size).limit(size);
        return PageResponse.of(mongo.find(q, CouponDefinition.class), total, page, size);
    }

    /** Creates a definition (and, for a shared one, its code). 409 when the id or the shared code exists. */
    public CouponDefinition create(DefinitionInput in, String actor) {
        List<FieldError> errors = new ArrayList<>();
        String id = in.id() == null ? null : in.id().trim();
        if (id == null || !ID.matcher(id).matches() || id.length() > 64) {
            errors.add(new FieldError("id", "is required: a lowercase kebab-case id of up to 64 characters, e.g. winback-10"));
        } else if (List.of("jobs", "codes", "attribution").contains(id)) {
            errors.add(new FieldError("id", "'" + id + "' is reserved (an API path)"));
        } else if (id.startsWith("auto-")) {
            errors.add(new FieldError("id", "ids starting with auto- are reserved for automatic definitions"));
        }
        String mode = in.codeMode() == null ? CouponDefinition.UNIQUE : in.codeMode().trim().toLowerCase(Locale.ROOT);
        CouponDefinition d = validated(id, in, mode, actor, clock.instant(), null, errors);
        if (!errors.isEmpty()) throw new BadRequestException("the coupon definition is invalid", errors);
        if (mongo.findById(d.id(), CouponDefinition.class) != null) {
            throw new ConflictException("coupon definition " + d.id() + " already exists");
        }
        if (d.shared()) {
            try {
                mongo.insert(new CouponCode(d.sharedCode(), d.id(), CouponDefinition.SHARED, CouponCode.ACTIVE, null,
                        null, d.kind(), d.value(), d.currency(), d.minOrder(), d.createdAt(), d.validTo(),
                        d.attribution(), null, null, null, List.of(), 0, 0));
            } catch (DuplicateKeyException e) {
                throw new ConflictException("the code " + d.sharedCode() + " already exists");
            }
        }
        try {
            return mongo.insert(d);
        } catch (DuplicateKeyException e) {
            throw new ConflictException("coupon definition " + d.id() + " already exists");
        }
    }

    /**
     * Replaces a definition's terms. The id, code mode and shared code stay; codes already issued keep the value
     * they were issued with, limits and validity apply from now on.
     */
    public CouponDefinition update(String id, DefinitionInput in, String actor) {
        CouponDefinition before = get(id);
        List<FieldError> errors = new ArrayList<>();
        if (in.codeMode() != null && !in.codeMode().equalsIgnoreCase(before.codeMode())) {
            errors.add(new FieldError("codeMode", "cannot change (" + before.codeMode() + ")"));
        }
        if (before.shared() && in.sharedCode() != null
                && !before.sharedCode().equals(CodeGenerator.normalize(in.sharedCode()))) {
            errors.add(new FieldError("sharedCode", "cannot change; create a new definition"));
        }
        DefinitionInput merged = new DefinitionInput(id, in.name(), in.description(), in.kind(), in.value(),
                in.currency(), in.minOrder(), in.validFrom(), in.validTo(), in.validDays(), before.codeMode(),
                before.sharedCode(), in.prefix(), in.perCustomerLimit(), in.totalLimit(), in.eligibleLevels(),
                in.eligibleTiers(), in.eligibleSegments(), in.pointsCost(), in.journeyId(), in.campaignId(),
                in.active());
        CouponDefinition d = validated(id, merged, before.codeMode(), before.createdBy(), before.createdAt(), before,
                errors);
        if (!errors.isEmpty()) throw new BadRequestException("the coupon definition is invalid", errors);
        Update u = new Update();
        org.bson.Document doc = new org.bson.Document();
        mongo.getConverter().write(d, doc);
        doc.remove("_id");
        doc.remove("issued"); // counted by issuing, never replaced
        doc.forEach(u::set);
        for (String nullable : List.of("description", "value", "minOrder", "validFrom", "validTo", "validDays",
                "prefix", "perCustomerLimit", "totalLimit", "pointsCost", "journeyId", "campaignId")) {
            if (!doc.containsKey(nullable)) u.unset(nullable);
        }
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), u, CouponDefinition.class);
        if (d.shared()) {
            mongo.updateFirst(Query.query(Criteria.where("_id").is(d.sharedCode())), new Update()
                    .set("kind", d.kind()).set("value", d.value()).set("currency", d.currency())
                    .set("minOrder", d.minOrder()).set("expiresAt", d.validTo()).set("attribution", d.attribution()),
                    CouponCode.class);
        }
        return get(id);
    }

    private CouponDefinition validated(String id, DefinitionInput in, String mode, String actor, Instant createdAt,
                                       CouponDefinition before, List<FieldError> errors) {
        String name = in.name() == null || in.name().isBlank() ? id : in.name().trim();
        if (name != null && name.length() > 200) errors.add(new FieldError("name", "at most 200 characters"));
        if (in.description() != null && in.description().length() > MAX_TEXT) {
            errors.add(new FieldError("description", "at most " + MAX_TEXT + " characters"));
        }
        String kind = in.kind() == null ? null : in.kind().trim().toLowerCase(Locale.ROOT).replace('-', '_');
        BigDecimal value = in.value();
        if (kind == null || !List.of(CouponDefinition.PERCENTAGE, CouponDefinition.FIXED,
                CouponDefinition.FREE_SHIPPING).contains(kind)) {
            errors.add(new FieldError("kind", "must be percentage, fixed or free_shipping"));
        } else if (kind.equals(CouponDefinition.PERCENTAGE)) {
            if (value == null || value.signum() <= 0 || value.compareTo(BigDecimal.valueOf(100)) > 0) {
                errors.add(new FieldError("value", "a percentage must be more than 0 and at most 100"));
            }
        } else if (kind.equals(CouponDefinition.FIXED)) {
            if (value == null || value.signum() <= 0 || value.scale() > 4 || value.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
                errors.add(new FieldError("value", "a fixed amount must be positive (at most 1,000,000, 4 decimals)"));
            }
        } else {
            value = null;
        }
        String currency = in.currency() == null ? rates.baseCurrency() : in.currency().trim().toUpperCase(Locale.ROOT);
        if (!currency.matches("^[A-Z]{3}$") || !rates.table().knows(currency, java.time.LocalDate.now(clock))) {
            errors.add(new FieldError("currency", "'" + in.currency() + "' is not a currency with an exchange rate"));
        }
        if (in.minOrder() != null && (in.minOrder().signum() < 0 || in.minOrder().scale() > 4)) {
            errors.add(new FieldError("minOrder", "must be zero or positive (4 decimals at most)"));
        }
        if (in.validFrom() != null && in.validTo() != null && !in.validTo().isAfter(in.validFrom())) {
            errors.add(new FieldError("validTo", "must be after validFrom"));
        }
        if (in.validDays() != null && (in.validDays() < 1 || in.validDays() > 3650)) {
            errors.add(new FieldError("validDays", "must be 1..3650"));
        }
        if (!mode.equals(CouponDefinition.UNIQUE) && !mode.equals(CouponDefinition.SHARED)) {
            errors.add(new FieldError("codeMode", "must be unique or shared"));
        }
        String shared = null;
        String prefix = null;
        if (mode.equals(CouponDefinition.SHARED)) {
            shared = CodeGenerator.normalize(in.sharedCode());
            if (shared == null || !CodeGenerator.CODE.matcher(shared).matches()) {
                errors.add(new FieldError("sharedCode", "a shared definition needs its code: 3-64 letters, digits, - or _"));
            }
            if (in.prefix() != null) errors.add(new FieldError("prefix", "only unique codes have a prefix"));
        } else {
            if (in.sharedCode() != null) errors.add(new FieldError("sharedCode", "only shared definitions have one code"));
            if (in.prefix() != null && !in.prefix().isBlank()) {
                prefix = in.prefix().trim().toUpperCase(Locale.ROOT);
                if (!CodeGenerator.PREFIX.matcher(prefix).matches()) {
                    errors.add(new FieldError("prefix", "1-8 characters from " + CodeGenerator.ALPHABET
                            + ", optionally ending in -"));
                }
            }
        }
        if (in.perCustomerLimit() != null && (in.perCustomerLimit() < 1 || in.perCustomerLimit() > 100)) {
            errors.add(new FieldError("perCustomerLimit", "must be 1..100"));
        }
        if (in.totalLimit() != null && in.totalLimit() < 1) errors.add(new FieldError("totalLimit", "must be positive"));
        if (before != null && in.totalLimit() != null && !before.shared() && in.totalLimit() < before.issued()) {
            errors.add(new FieldError("totalLimit", before.issued() + " codes exist already"));
        }
        List<String> levels = ids("eligibleLevels", in.eligibleLevels(), errors);
        levels.stream().filter(l -> !Vocabulary.LEVELS.contains(l)).forEach(l ->
                errors.add(new FieldError("eligibleLevels", "'" + l + "' is not one of " + Vocabulary.LEVEL_ORDER)));
        List<String> tiers = ids("eligibleTiers", in.eligibleTiers(), errors);
        tiers.stream().filter(t -> !Vocabulary.TIERS.contains(t)).forEach(t ->
                errors.add(new FieldError("eligibleTiers", "'" + t + "' is not one of " + Vocabulary.TIER_ORDER)));
        List<String> segments = ids("eligibleSegments", in.eligibleSegments(), errors);
        if (in.pointsCost() != null && (in.pointsCost() < 1 || in.pointsCost() > 100_000_000)) {
            errors.add(new FieldError("pointsCost", "must be 1..100000000"));
        }
        if (in.pointsCost() != null && mode.equals(CouponDefinition.SHARED)) {
            errors.add(new FieldError("pointsCost", "points buy unique codes only"));
        }
        String journey = ref("journeyId", in.journeyId(), errors);
        String campaign = ref("campaignId", in.campaignId(), errors);
        Instant now = clock.instant();
        return new CouponDefinition(id, name, in.description(), kind, value, currency, in.minOrder(), in.validFrom(),
                in.validTo(), in.validDays(), mode, shared, prefix,
                in.perCustomerLimit() == null && mode.equals(CouponDefinition.SHARED) ? Integer.valueOf(1) : in.perCustomerLimit(),
                in.totalLimit(), levels, tiers, segments, in.pointsCost(), journey, campaign,
                in.active() == null || in.active(), false, before == null ? 0 : before.issued(), actor, createdAt, now);
    }

    private static List<String> ids(String field, List<String> values, List<FieldError> errors) {
        if (values == null) return List.of();
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (v == null || !Vocabulary.ID.matcher(v.trim()).matches()) {
                errors.add(new FieldError(field, "'" + v + "' is not a lowercase id"));
            } else if (!out.contains(v.trim())) {
                out.add(v.trim());
            }
        }
        return out;
    }

    private static String ref(String field, String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) return null;
        String v = value.trim();
        if (v.length() > 100 || !v.matches("^[A-Za-z0-9][A-Za-z0-9._:-]*$")) {
            errors.add(new FieldError(field, "letters, digits, '.', '_', ':' and '-' only (at most 100)"));
        }
        return v;
    }

    // ---- automatic definitions (journeys and campaigns issuing by value) ----

    /**
     * The automatic definition for an issuer that names no definition: one per journey or campaign (or per source),
     * unique codes, no limits, created on first use. The code carries the value it was issued with.
     */
    CouponDefinition auto(Attribution a, String kind, BigDecimal value) {
        String owner = a == null ? "api" : a.journeyId() != null ? "journey-" + slug(a.journeyId())
                : a.campaignId() != null ? "campaign-" + slug(a.campaignId()) : slug(a.source() == null ? "api" : a.source());
        String id = "auto-" + owner;
        CouponDefinition existing = mongo.findById(id, CouponDefinition.class);
        if (existing != null) return existing;
        Instant now = clock.instant();
        CouponDefinition d = new CouponDefinition(id, "Coupons of " + owner, "created automatically on first issue",
                kind, value, rates.baseCurrency(), null, null, null, null, CouponDefinition.UNIQUE, null, null, null,
                null, List.of(), List.of(), List.of(), null, a == null ? null : a.journeyId(),
                a == null ? null : a.campaignId(), true, true, 0, "system", now, now);
        Update u = new Update();
        org.bson.Document doc = new org.bson.Document();
        mongo.getConverter().write(d, doc);
        doc.remove("_id");
        doc.forEach(u::setOnInsert);
        try {
            return mongo.findAndModify(Query.query(Criteria.where("_id").is(id)), u,
                    FindAndModifyOptions.options().upsert(true).returnNew(true), CouponDefinition.class);
        } catch (DuplicateKeyException e) {
            return get(id);
        }
    }

    private static String slug(String s) {
        String v = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return v.isEmpty() ? "x" : v.length() > 48 ? v.substring(0, 48) : v;
    }

    /** Counts unique codes against the definition's total limit; false when the limit would be exceeded. */
    boolean reserve(CouponDefinition d, long n) {
        if (d.totalLimit() == null) {
            mongo.updateFirst(Query.query(Criteria.where("_id").is(d.id())), new Update().inc("issued", n),
                    CouponDefinition.class);
            return true;
        }
        // a scan of coupon_definitions on the embedded store (a small collection)
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(d.id()).and("issued").lte(d.totalLimit() - n)),
                new Update().inc("issued", n), CouponDefinition.class).getModifiedCount() == 1;
    }

    void release(CouponDefinition d, long n) {
        if (n > 0) {
            mongo.updateFirst(Query.query(Criteria.where("_id").is(d.id())), new Update().inc("issued", -n),
                    CouponDefinition.class);
        }
    }
}
