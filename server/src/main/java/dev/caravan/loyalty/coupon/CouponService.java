package dev.caravan.loyalty.coupon;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.caravan.common.job.Job;
import dev.caravan.common.job.JobService;
import dev.caravan.common.store.ByIds;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.ConflictException;
import dev.caravan.common.web.NotFoundException;
import dev.caravan.customer.Customer;
import dev.caravan.money.ExchangeRateService;
import jakarta.annotation.PreDestroy;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.BulkOperationException;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/**
 * The coupon engine's Java API, used by journeys, campaigns, points redemption and the HTTP API:
 * <ul>
 *   <li>{@link #issue} a unique single-use code (or the shared code) to a customer from a definition, or by value
 *   alone into the issuer's automatic definition, attributed to a journey step or campaign; idempotent by key;</li>
 *   <li>{@link #generate} unassigned unique codes in bulk (a job) for upload to marketplaces or shops;</li>
 *   <li>{@link #redeemFromOrder} the codes quoted by an order: a unique code moves to redeemed by one
 *   compare-and-set, so of two orders racing for it exactly one wins; a shared code counts per-customer and total
 *   uses. Every redemption publishes {@link CouponRedeemed} with the issuer's attribution.</li>
 * </ul>
 */
@Service
public class CouponService {

    static final String JOB_KIND = "coupon-codes";
    private static final Logger log = LoggerFactory.getLogger(CouponService.class);

    /**
     * @param definitionId   the definition; null issues by {@code value} into the issuer's automatic definition
     * @param value          {@code "10%"}, an amount in the base currency ({@code "5.00"}) or {@code free_shipping};
     *                       null = the definition's value
     * @param expiresAt      null = the definition's validDays / validTo
     * @param attribution    who issues it (journey step, campaign, points...); revenue of its redemption goes there
     * @param idempotencyKey issuing the same key again returns the first code (journeys: customer + instance + step)
     * @param code           a code drawn beforehand ({@link #drawCode}); normally null
     */
    public record IssueRequest(String definitionId, String customerId, String value, Instant expiresAt,
                               Attribution attribution, String idempotencyKey, String code) {
        public IssueRequest(String definitionId, String customerId, String value, Instant expiresAt,
                            Attribution attribution, String idempotencyKey) {
            this(definitionId, customerId, value, expiresAt, attribution, idempotencyKey, null);
        }
    }

    /** An issued code; {@code duplicate} when the idempotency key had issued it before. */
    public record IssuedCoupon(String code, String definitionId, String customerId, String kind, BigDecimal value,
                               String currency, String display, Instant expiresAt, Attribution attribution,
                               boolean duplicate) {
    }

    /** The order a redemption is checked against. */
    public record OrderInfo(String orderKey, String customerId, BigDecimal totalBase, String currency,
                            BigDecimal total, Instant placedAt, boolean live) {
    }

    /**
     * What happened to one code quoted by an order: {@code redeemed}, {@code already} (this order redeemed it
     * before: a replay), {@code rejected} (with the reason) or {@code unknown} (not a Caravan code).
     */
    public record OrderCoupon(String code, String outcome, String reason, String definitionId,
                              Attribution attribution) {
        public boolean counts() {
            return "redeemed".equals(outcome) || "already".equals(outcome);
        }
    }

    private final MongoTemplate mongo;
    private final CouponDefinitions definitions;
    private final SegmentMembership segments;
    private final ExchangeRateService rates;
    private final JobService jobs;
    private final ApplicationEventPublisher events;
    private final CouponProperties props;
    private final Clock clock;
    private final CodeGenerator generator = new CodeGenerator();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "coupon-codes");
        t.setDaemon(true);
        return t;
    });

    CouponService(MongoTemplate mongo, CouponDefinitions definitions, SegmentMembership segments,
                  ExchangeRateService rates, JobService jobs, ApplicationEventPublisher events, CouponProperties props,
                  Clock clock) {
        this.mongo = mongo;
        this.definitions = definitions;
        this.segments = segments;
        this.rates = rates;
        this.jobs = jobs;
        this.events = events;
        this.props = props;
        this.clock = clock;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    public CouponCode code(String code) {
        String c = CodeGenerator.normalize(code);
        CouponCode doc = c == null ? null : mongo.findById(c, CouponCode.class);
        if (doc == null) throw new NotFoundException("coupon code " + code + " not found");
        return doc;
    }

    /** Codes by id (missing ones are left out), for the customer view. */
    public List<CouponCode> codes(Collection<String> codes) {
        return ByIds.find(mongo, codes, CouponCode.class);
    }

    /** A fresh unique code for the definition (not stored). */
    public String drawCode(String definitionId) {
        return generator.next(definitions.get(definitionId).prefix(), props.codeLength());
    }

    // ---- issuing ----

    public IssuedCoupon issue(IssueRequest r) {
        if (r.customerId() == null || r.customerId().isBlank()) throw new BadRequestException("customerId is required");
        Customer c = customer(r.customerId());
        Value v = r.value() == null ? null : Value.parse(r.value());
        CouponDefinition d;
        if (r.definitionId() != null) {
            d = definitions.get(r.definitionId());
        } else {
            if (v == null) throw new BadRequestException("a coupon without a definition needs a value (10%, 5.00 or free_shipping)");
            d = definitions.auto(r.attribution(), v.kind(), v.amount());
        }
        Attribution a = (r.attribution() == null ? Attribution.of("api") : r.attribution()).orDefault(d.attribution());
        Instant now = clock.instant();
        if (d.shared()) {
            checkIssuable(d, c, now);
            events.publishEvent(new CouponIssued(d.sharedCode(), d.id(), c.getId(), CouponDefinition.display(d.kind(),
                    d.value(), d.currency()), d.validTo(), a.journeyId(), a.journeyInstanceId(), a.stepId(),
                    a.campaignId(), a.source(), now));
            return new IssuedCoupon(d.sharedCode(), d.id(), c.getId(), d.kind(), d.value(), d.currency(),
                    CouponDefinition.display(d.kind(), d.value(), d.currency()), d.validTo(), a, false);
        }
        String kind = d.kind();
        BigDecimal value = d.value();
        String currency = d.currency();
        if (v != null) {
            if (!d.auto() && !v.kind().equals(d.kind())) {
                throw new BadRequestException("value " + r.value() + " is a " + v.kind() + " coupon; definition "
                        + d.id() + " gives " + d.kind());
            }
            kind = v.kind();
            value = v.amount();
            if (d.auto()) currency = rates.baseCurrency();
        }
        String key = r.idempotencyKey() == null || r.idempotencyKey().isBlank()
                ? "random:" + new ObjectId().toHexString() : r.idempotencyKey();
        if (key.length() > 400) throw new BadRequestException("idempotencyKey is longer than 400 characters");

        IssueKey k = mongo.findById(key, IssueKey.class);
        if (k != null) {
            IssuedCoupon earlier = earlier(k, c.getId());
            if (earlier != null) return earlier;
        }
        checkIssuable(d, c, now);
        Instant expires = r.expiresAt() != null ? r.expiresAt()
                : d.validDays() != null ? now.plus(Duration.ofDays(d.validDays())) : d.validTo();
        if (d.validTo() != null && expires != null && expires.isAfter(d.validTo())) expires = d.validTo();
        if (expires != null && !expires.isAfter(now)) throw new BadRequestException("the coupon would expire at once");
        String code = k != null ? k.code() : r.code() != null ? CodeGenerator.normalize(r.code())
                : generator.next(d.prefix(), props.codeLength());
        if (k == null) {
            try {
                mongo.insert(new IssueKey(key, code, c.getId(), now));
            } catch (DuplicateKeyException e) {
                IssuedCoupon earlier = earlier(mongo.findById(key, IssueKey.class), c.getId());
                if (earlier != null) return earlier;
                throw new ConflictException("a coupon with idempotency key " + key + " is being issued; try again");
            }
        }
        String holding = null;
        if (d.perCustomerLimit() != null) {
            holding = claimHolding(d, c.getId(), key);
            if (holding == null) {
                forgetKey(key, code);
                throw new ConflictException("customer " + c.getId() + " already holds " + d.perCustomerLimit()
                        + " code(s) of " + d.id());
            }
        }
        if (!definitions.reserve(d, 1)) {
            if (holding != null) mongo.remove(Query.query(Criteria.where("_id").is(holding)), CouponHolding.class);
            forgetKey(key, code);
            throw new ConflictException("coupon definition " + d.id() + " has issued all its " + d.totalLimit() + " codes");
        }
        for (int attempt = 0; ; attempt++) {
            CouponCode doc = new CouponCode(code, d.id(), CouponDefinition.UNIQUE, CouponCode.ISSUED, c.getId(),
                    c.getId(), kind, value, currency, d.minOrder(), now, expires, a, key, null, null, List.of(), 0, 0);
            try {
                mongo.insert(doc);
                events.publishEvent(new CouponIssued(code, d.id(), c.getId(), doc.display(), expires, a.journeyId(),
                        a.journeyInstanceId(), a.stepId(), a.campaignId(), a.source(), now));
                return new IssuedCoupon(code, d.id(), c.getId(), kind, value, currency, doc.display(), expires, a, false);
            } catch (DuplicateKeyException e) {
                CouponCode existing = mongo.findById(code, CouponCode.class);
                if (existing != null && key.equals(existing.issueKey())) return issued(existing, true);
                if (r.code() != null || attempt >= 5) {
                    definitions.release(d, 1);
                    throw new ConflictException("the code " + code + " exists already");
                }
                code = generator.next(d.prefix(), props.codeLength()); // a collision of random codes: draw again
                mongo.updateFirst(Query.query(Criteria.where("_id").is(key)), Update.update("code", code), IssueKey.class);
            }
        }
    }

    /** The code an earlier request with this key issued, waiting briefly for one still being written. */
    private IssuedCoupon earlier(IssueKey k, String customerId) {
        if (k == null) return null;
        if (!Objects.equals(k.customerId(), customerId)) {
            throw new ConflictException("idempotency key " + k.key() + " issued a coupon to another customer");
        }
        for (int i = 0; i < 40; i++) {
            CouponCode doc = mongo.findById(k.code(), CouponCode.class);
            if (doc != null) return issued(doc, true);
            if (Duration.between(k.at(), clock.instant()).toSeconds() > 5) return null; // left by a crash: finish it
            sleep(25);
        }
        return null;
    }

    private void forgetKey(String key, String code) {
        mongo.remove(Query.query(Criteria.where("_id").is(key).and("code").is(code)), IssueKey.class);
    }

    private static IssuedCoupon issued(CouponCode c, boolean duplicate) {
        return new IssuedCoupon(c.code(), c.definitionId(), c.customerId(), c.kind(), c.value(), c.currency(),
                c.display(), c.expiresAt(), c.attribution(), duplicate);
    }

    /** Claims one of the customer's slots of a definition with a per-customer limit; null when all are taken. */
    private String claimHolding(CouponDefinition d, String customerId, String key) {
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= d.perCustomerLimit(); n++) ids.add(CouponHolding.idOf(d.id(), customerId, n));
        Set<String> taken = new java.util.HashSet<>();
        for (CouponHolding h : ByIds.find(mongo, ids, CouponHolding.class)) {
            if (key.equals(h.issueKey())) return h.id();
            taken.add(h.id());
        }
        for (int n = 1; n <= d.perCustomerLimit(); n++) {
            String id = ids.get(n - 1);
            if (taken.contains(id)) continue;
            try {
                mongo.insert(new CouponHolding(id, d.id(), customerId, n, key, clock.instant()));
                return id;
            } catch (DuplicateKeyException e) {
                CouponHolding h = mongo.findById(id, CouponHolding.class);
                if (h != null && key.equals(h.issueKey())) return id;
            }
        }
        return null;
    }

    /** Throws when the definition cannot give this customer a code now (inactive, out of validity, not eligible). */
    public void checkIssuable(String definitionId, String customerId) {
        CouponDefinition d = definitions.get(definitionId);
        Customer c = customer(customerId);
        checkIssuable(d, c, clock.instant());
        if (!d.shared() && d.perCustomerLimit() != null) {
            List<String> ids = new ArrayList<>();
            for (int n = 1; n <= d.perCustomerLimit(); n++) ids.add(CouponHolding.idOf(d.id(), customerId, n));
            if (ByIds.find(mongo, ids, CouponHolding.class).size() >= d.perCustomerLimit()) {
                throw new ConflictException("customer " + customerId + " already holds " + d.perCustomerLimit()
                        + " code(s) of " + d.id());
            }
        }
        if (d.totalLimit() != null && d.issued() >= d.totalLimit()) {
            throw new ConflictException("coupon definition " + d.id() + " has issued all its " + d.totalLimit() + " codes");
        }
    }

    private void checkIssuable(CouponDefinition d, Customer c, Instant now) {
        if (!d.active()) throw new ConflictException("coupon definition " + d.id() + " is not active");
        if (d.validFrom() != null && now.isBefore(d.validFrom())) {
            throw new ConflictException("coupon definition " + d.id() + " is valid from " + d.validFrom());
        }
        if (d.validTo() != null && !now.isBefore(d.validTo())) {
            throw new ConflictException("coupon definition " + d.id() + " ended at " + d.validTo());
        }
        String why = ineligible(d, c);
        if (why != null) throw new ConflictException("customer " + c.getId() + " may not have " + d.id() + ": " + why);
    }

    /** Why a customer may not use a definition (levels, tiers, segments), or null. */
    private String ineligible(CouponDefinition d, Customer c) {
        if (c == null) {
            return d.eligibleLevels().isEmpty() && d.eligibleTiers().isEmpty() && d.eligibleSegments().isEmpty()
                    ? null : "a guest order cannot show eligibility";
        }
        if (!d.eligibleLevels().isEmpty() && !d.eligibleLevels().contains(c.getLevel())) {
            return "level " + c.getLevel() + " is not one of " + d.eligibleLevels();
        }
        if (!d.eligibleTiers().isEmpty() && !d.eligibleTiers().contains(c.getTier())) {
            return "tier " + c.getTier() + " is not one of " + d.eligibleTiers();
        }
        if (!d.eligibleSegments().isEmpty() && d.eligibleSegments().stream().noneMatch(s -> segments.isMember(s, c))) {
            return "not in any of the segments " + d.eligibleSegments();
        }
        return null;
    }

    private Customer customer(String id) {
        Query q = Query.query(Criteria.where("_id").is(id));
        q.fields().include("level", "tier", "tags", "createdAt");
        Customer c = mongo.findOne(q, Customer.class);
        if (c == null) throw new NotFoundException("customer " + id + " not found");
        return c;
    }

    /** "10%", "5.00", "free_shipping". */
    record Value(String kind, BigDecimal amount) {
        static Value parse(String raw) {
            String s = raw.trim().toLowerCase(Locale.ROOT);
            if (s.equals("free_shipping") || s.equals("free shipping") || s.equals("free-shipping")) {
                return new Value(CouponDefinition.FREE_SHIPPING, null);
            }
            try {
                if (s.endsWith("%")) {
                    BigDecimal p = new BigDecimal(s.substring(0, s.length() - 1).trim());
                    if (p.signum() <= 0 || p.compareTo(BigDecimal.valueOf(100)) > 0) throw new NumberFormatException();
                    return new Value(CouponDefinition.PERCENTAGE, p.stripTrailingZeros());
                }
                BigDecimal a = new BigDecimal(s);
                if (a.signum() <= 0 || a.scale() > 4) throw new NumberFormatException();
                return new Value(CouponDefinition.FIXED, a);
            } catch (NumberFormatException e) {
                throw new BadRequestException("value '" + raw + "' is not a coupon value: 10%, 5.00 or free_shipping");
            }
        }
    }

    // ---- redemption from orders ----

    /** Redeems the codes an order quoted (codes Caravan does not know are reported as unknown and left alone). */
    public List<OrderCoupon> redeemFromOrder(OrderInfo o, Collection<String> codes) {
        List<OrderCoupon> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String raw : codes) {
            String code = CodeGenerator.normalize(raw);
            if (code == null || !seen.add(code)) continue;
            CouponCode doc = mongo.findById(code, CouponCode.class);
            if (doc == null) {
                out.add(new OrderCoupon(code, "unknown", null, null, null));
                continue;
            }
            CouponDefinition d = mongo.findById(doc.definitionId(), CouponDefinition.class);
            out.add(CouponDefinition.SHARED.equals(doc.mode()) ? redeemShared(doc, d, o) : redeemUnique(doc, d, o));
        }
        return out;
    }

    private OrderCoupon redeemUnique(CouponCode doc, CouponDefinition d, OrderInfo o) {
        for (int attempt = 0; attempt < 20 && doc != null; attempt++) {
            if (doc.redemption() != null) {
                if (doc.redemption().orderKey().equals(o.orderKey())) return outcome(doc, "already", null);
                return reject(doc, o, "already redeemed by order " + doc.redemption().orderKey());
            }
            if (CouponCode.VOID.equals(doc.status())) return reject(doc, o, "the code was voided");
            boolean assigned = doc.customerId() != null;
            String problem = problem(doc, d, o, !assigned);
            if (problem != null) return reject(doc, o, problem);
            Update u = new Update().set("status", CouponCode.REDEEMED).set("redemption", new CouponCode.Redemption(
                    o.orderKey(), o.customerId(), o.placedAt(), o.totalBase(), o.currency(), o.total(), o.live()));
            if (!assigned && o.customerId() != null) u.set("customerId", o.customerId()).set("originCustomerId", o.customerId());
            long won = mongo.updateFirst(Query.query(Criteria.where("_id").is(doc.code()).and("status").is(doc.status())),
                    u, CouponCode.class).getModifiedCount();
            if (won == 1) {
                publish(doc, o);
                return outcome(doc, "redeemed", null);
            }
            doc = mongo.findById(doc.code(), CouponCode.class); // another order moved first: look again
        }
        return doc == null ? new OrderCoupon(null, "unknown", null, null, null)
                : reject(doc, o, "the code is changed concurrently");
    }

    private OrderCoupon redeemShared(CouponCode doc, CouponDefinition d, OrderInfo o) {
        String problem = problem(doc, d, o, true);
        if (problem != null) return reject(doc, o, problem);
        String customerKey = o.customerId() != null ? o.customerId() : "guest:" + o.orderKey();
        int limit = o.customerId() == null || d.perCustomerLimit() == null ? 1 : d.perCustomerLimit();
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= limit; n++) ids.add(CouponUse.idOf(doc.code(), customerKey, n));
        Set<String> taken = new java.util.HashSet<>();
        for (CouponUse u : ByIds.find(mongo, ids, CouponUse.class)) {
            if (u.orderKey().equals(o.orderKey())) return outcome(doc, "already", null);
            taken.add(u.id());
        }
        CouponUse claimed = null;
        for (int n = 1; n <= limit && claimed == null; n++) {
            String id = ids.get(n - 1);
            if (taken.contains(id)) continue;
            CouponUse use = new CouponUse(id, doc.code(), doc.definitionId(), o.customerId(), n, o.orderKey(),
                    o.placedAt(), o.totalBase(), o.currency(), o.total(), doc.attribution(), o.live());
            try {
                mongo.insert(use);
                claimed = use;
            } catch (DuplicateKeyException e) {
                CouponUse other = mongo.findById(id, CouponUse.class);
                if (other != null && other.orderKey().equals(o.orderKey())) return outcome(doc, "already", null);
            }
        }
        if (claimed == null) {
            return reject(doc, o, "used " + limit + " time(s) by this customer already (per-customer limit)");
        }
        if (d != null && d.totalLimit() != null) {
            boolean counted = false;
            for (int attempt = 0; attempt < 100 && !counted; attempt++) {
                CouponCode cur = mongo.findById(doc.code(), CouponCode.class);
                if (cur.uses() >= d.totalLimit()) {
                    mongo.remove(Query.query(Criteria.where("_id").is(claimed.id())), CouponUse.class);
                    return reject(doc, o, "all " + d.totalLimit() + " uses of the code are taken (total limit)");
                }
                counted = mongo.updateFirst(Query.query(Criteria.where("_id").is(doc.code()).and("v").is(cur.v())),
                        new Update().inc("uses", 1).inc("v", 1), CouponCode.class).getModifiedCount() == 1;
            }
            if (!counted) {
                mongo.remove(Query.query(Criteria.where("_id").is(claimed.id())), CouponUse.class);
                return reject(doc, o, "the code is changed concurrently");
            }
        } else {
            mongo.updateFirst(Query.query(Criteria.where("_id").is(doc.code())), new Update().inc("uses", 1).inc("v", 1),
                    CouponCode.class);
        }
        publish(doc, o);
        return outcome(doc, "redeemed", null);
    }

    /** Why the order cannot redeem the code, or null. */
    private String problem(CouponCode doc, CouponDefinition d, OrderInfo o, boolean checkEligibility) {
        if (d == null) return "its definition " + doc.definitionId() + " no longer exists";
        if (!d.active()) return "coupon definition " + d.id() + " is not active";
        Instant at = o.placedAt() == null ? clock.instant() : o.placedAt();
        if (d.validFrom() != null && at.isBefore(d.validFrom())) return "not valid before " + d.validFrom();
        if (d.validTo() != null && at.isAfter(d.validTo())) return "expired at " + d.validTo();
        if (doc.expiresAt() != null && at.isAfter(doc.expiresAt())) return "expired at " + doc.expiresAt();
        if (CouponDefinition.FIXED.equals(doc.kind()) && o.currency() != null && doc.currency() != null
                && !doc.currency().equals(o.currency())) {
            return "a " + doc.currency() + " coupon cannot discount an order in " + o.currency();
        }
        if (doc.minOrder() != null && doc.minOrder().signum() > 0) {
            boolean below;
            if (o.currency() != null && o.currency().equals(doc.currency()) && o.total() != null) {
                below = o.total().compareTo(doc.minOrder()) < 0;
            } else if (o.totalBase() != null) {
                BigDecimal min = rates.toBase(doc.minOrder(), doc.currency(), LocalDate.ofInstant(at, ZoneOffset.UTC));
                below = min != null && o.totalBase().compareTo(min) < 0;
            } else {
                below = true;
            }
            if (below) return "the order is below the minimum of " + doc.minOrder().toPlainString() + " " + doc.currency();
        }
        if (checkEligibility) {
            Customer c = null;
            if (o.customerId() != null) {
                Query q = Query.query(Criteria.where("_id").is(o.customerId()));
                q.fields().include("level", "tier", "tags");
                c = mongo.findOne(q, Customer.class);
            }
            String why = ineligible(d, c);
            if (why != null) return why;
        }
        return null;
    }

    private OrderCoupon reject(CouponCode doc, OrderInfo o, String reason) {
        boolean known = doc.rejections().stream().anyMatch(r -> r.orderKey().equals(o.orderKey()));
        if (!known) {
            mongo.updateFirst(Query.query(Criteria.where("_id").is(doc.code())), new Update().push("rejections")
                    .slice(-20).each(new CouponCode.Rejection(o.orderKey(), o.customerId(), reason, clock.instant())),
                    CouponCode.class);
        }
        log.debug("Order {} could not redeem {}: {}", o.orderKey(), doc.code(), reason);
        return outcome(doc, "rejected", reason);
    }

    private static OrderCoupon outcome(CouponCode doc, String outcome, String reason) {
        return new OrderCoupon(doc.code(), outcome, reason, doc.definitionId(), doc.attribution());
    }

    private void publish(CouponCode doc, OrderInfo o) {
        Attribution a = doc.attribution() == null ? Attribution.of(null) : doc.attribution();
        events.publishEvent(new CouponRedeemed(doc.code(), doc.definitionId(), o.customerId(), o.orderKey(),
                o.totalBase(), a.journeyId(), a.journeyInstanceId(), a.stepId(), a.campaignId(), a.source(),
                o.placedAt() == null ? clock.instant() : o.placedAt(), o.live()));
    }

    // ---- bulk generation ----

    /** Starts generating {@code count} unassigned unique codes (a job with progress). */
    public Job generate(String definitionId, int count, String actor) {
        CouponDefinition d = definitions.get(definitionId);
        if (d.shared()) throw new BadRequestException("a shared definition has one code; bulk codes need codeMode unique");
        if (count < 1 || count > props.maxBulkCodes()) {
            throw new BadRequestException("count must be 1.." + props.maxBulkCodes());
        }
        if (!d.active()) throw new ConflictException("coupon definition " + d.id() + " is not active");
        if (d.validTo() != null && !clock.instant().isBefore(d.validTo())) {
            throw new ConflictException("coupon definition " + d.id() + " ended at " + d.validTo());
        }
        if (!definitions.reserve(d, count)) {
            throw new ConflictException("coupon definition " + d.id() + " allows " + d.totalLimit() + " codes; "
                    + d.issued() + " exist");
        }
        Job job = jobs.create(JOB_KIND, Map.of("definitionId", d.id(), "count", String.valueOf(count)), actor);
        executor.submit(() -> runGeneration(job.getId()));
        return job;
    }

    public Job job(String id) {
        return jobs.find(id, JOB_KIND).orElseThrow(() -> new NotFoundException("coupon job " + id + " not found"));
    }

    @EventListener(ApplicationReadyEvent.class)
    void resumeUnfinished() {
        for (Job job : jobs.unfinished(JOB_KIND)) {
            log.info("Resuming coupon code generation {}", job.getId());
            executor.submit(() -> runGeneration(job.getId()));
        }
    }

    private void runGeneration(String jobId) {
        Job job = jobs.find(jobId).orElse(null);
        if (job == null) return;
        CouponDefinition d = mongo.findById(job.param("definitionId"), CouponDefinition.class);
        int count = Integer.parseInt(job.param("count"));
        jobs.started(jobId);
        long made = mongo.count(Query.query(Criteria.where("batchId").is(jobId)), CouponCode.class); // resumed jobs
        long collisions = 0;
        try {
            if (d == null) throw new IllegalStateException("the definition was removed");
            Instant now = clock.instant();
            while (made < count) {
                int n = (int) Math.min(props.bulkBatch(), count - made);
                List<CouponCode> batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    batch.add(new CouponCode(generator.next(d.prefix(), props.codeLength()), d.id(),
                            CouponDefinition.UNIQUE, CouponCode.AVAILABLE, null, null, d.kind(), d.value(),
                            d.currency(), d.minOrder(), now, d.validTo(), d.attribution(), null, jobId, null, List.of(),
                            0, 0));
                }
                int inserted;
                try {
                    BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, CouponCode.class);
                    bulk.insert(batch);
                    inserted = bulk.execute().getInsertedCount();
                } catch (BulkOperationException e) {
                    inserted = e.getResult().getInsertedCount(); // collisions with existing codes: drawn again
                    collisions += n - inserted;
                }
                made += inserted;
                jobs.progress(jobId, 100.0 * made / count, Map.of("generated", made, "collisions", collisions));
            }
            jobs.succeeded(jobId, Map.of("generated", made, "collisions", collisions),
                    "generated " + made + " codes for " + d.id());
        } catch (RuntimeException e) {
            log.error("Coupon code generation {} failed", jobId, e);
            if (d != null) definitions.release(d, count - made);
            jobs.failed(jobId, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    // ---- merges ----

    /** The absorbed customer's codes now belong to the survivor. */
    public void reassign(String from, String to) {
        mongo.updateMulti(Query.query(Criteria.where("customerId").is(from)), Update.update("customerId", to),
                CouponCode.class);
    }

    /** Codes first issued to one of {@code origins} go back to the restored customer. */
    public void reassignByOrigin(String from, Collection<String> origins, String to) {
        mongo.updateMulti(Query.query(Criteria.where("customerId").is(from).and("originCustomerId").in(origins)),
                Update.update("customerId", to), CouponCode.class);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
