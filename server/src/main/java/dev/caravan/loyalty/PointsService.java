package dev.caravan.loyalty;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.caravan.common.store.ByIds;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.ConflictException;
import dev.caravan.common.web.NotFoundException;
import dev.caravan.customer.Customer;
import dev.caravan.loyalty.coupon.Attribution;
import dev.caravan.loyalty.coupon.CouponDefinition;
import dev.caravan.loyalty.coupon.CouponDefinitions;
import dev.caravan.loyalty.coupon.CouponService;
import dev.caravan.order.OrderStatus;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;

/**
 * The points ledger's operations. Every change is an entry appended to the customer's account through
 * {@link LoyaltyAccounts#write}, keyed by its source, so repeating an operation (a replayed order, a re-imported
 * refund, a retried request with the same id) never books twice:
 * <ul>
 *   <li>orders earn {@code floor(totalBase x base rate x multipliers)} ({@link EarnRates});</li>
 *   <li>refunds take back the refunded share of what the order earned (cumulative, so partial refunds adding up to
 *   the order give back exactly what it earned); cancellations and the status {@code refunded} take back the rest;</li>
 *   <li>bonuses (review, birthday, referral, other), manual adjustments with a reason, redemptions for coupons;</li>
 *   <li>credits expire {@code expiry-months} after the purchase that earned them, first to expire first spent.</li>
 * </ul>
 * Redemptions and negative adjustments are refused beyond the balance; only reversals can leave a negative balance
 * (points already spent on an order that was then refunded), which later credits pay off first.
 */
@Service
public class PointsService {

    private static final Logger log = LoggerFactory.getLogger(PointsService.class);
    /** The customer fields an earn rate depends on. */
    private static final String[] EARN_FIELDS = {"level", "tier", "lifecycle", "tags", "country", "createdAt"};
    static final Set<String> BONUS_KINDS = Set.of("review", "birthday", "referral", "other");

    private final LoyaltyAccounts accounts;
    private final EarnRates rates;
    private final CouponService coupons;
    private final CouponDefinitions definitions;
    private final MongoTemplate mongo;
    private final LoyaltyProperties props;
    private final Clock clock;

    PointsService(LoyaltyAccounts accounts, EarnRates rates, CouponService coupons, CouponDefinitions definitions,
                  MongoTemplate mongo, LoyaltyProperties props, Clock clock) {
        this.accounts = accounts;
        this.rates = rates;
        this.coupons = coupons;
        this.definitions = definitions;
        this.mongo = mongo;
        this.props = props;
        this.clock = clock;
    }

    /** An order as far as points are concerned. */
    public record OrderFacts(String orderKey, String customerId, String platform, BigDecimal totalBase,
                             String currency, Instant placedAt, boolean couponUsed, Attribution couponAttribution,
                             boolean live) {
    }

    /** The outcome of a write: the entries it appended (empty when it was a replay) and the balance after it. */
    public record Booked(String customerId, List<PointsEntry> entries, long balance) {
        public long points() {
            return entries.stream().mapToLong(PointsEntry::points).sum();
        }
    }

    // ---- orders ----

    /** Awards the order's points once (by order key). Imported history earns only with earn-imported-history. */
    public Optional<Booked> earn(OrderFacts o) {
        if (o.customerId() == null || o.totalBase() == null || o.totalBase().signum() <= 0) return Optional.empty();
        if (!o.live() && !props.earnImportedHistory()) return Optional.empty();
        String source = "order:" + o.orderKey();
        LoyaltyAccount before = accounts.find(o.customerId());
        String id = PointsEntry.idOf(source);
        if (before.entries().stream().anyMatch(e -> e.id().equals(id))) {
            return Optional.of(new Booked(o.customerId(), List.of(), before.balance()));
        }
        Customer c = customer(o.customerId()).orElse(null);
        if (c == null) return Optional.empty();
        PointsEntry.Builder entry = earning(o, c);
        if (entry == null) return Optional.empty();
        LoyaltyAccounts.Written w = accounts.write(o.customerId(), before, s -> LoyaltyAccounts.Change.of(List.of(entry)));
        return Optional.of(new Booked(o.customerId(), w.appended(), w.account().balance()));
    }

    /**
     * Awards the points of many orders at once (one ingested batch, orders without coupons): one read of the
     * customers, one of their accounts, one bulk write. Same outcome as {@link #earn} per order.
     */
    public void earnAll(List<OrderFacts> orders) {
        List<OrderFacts> eligible = orders.stream().filter(o -> o.customerId() != null && o.totalBase() != null
                && o.totalBase().signum() > 0 && (o.live() || props.earnImportedHistory())).toList();
        if (eligible.isEmpty()) return;
        Map<String, Customer> customers = new HashMap<>();
        ByIds.find(mongo, eligible.stream().map(OrderFacts::customerId).collect(Collectors.toSet()), Customer.class,
                null, q -> q.fields().include(EARN_FIELDS)).forEach(c -> customers.put(c.getId(), c));
        Map<String, List<PointsEntry.Builder>> entries = new LinkedHashMap<>();
        for (OrderFacts o : eligible) {
            Customer c = customers.get(o.customerId());
            if (c == null) continue;
            PointsEntry.Builder e = earning(o, c);
            if (e != null) entries.computeIfAbsent(c.getId(), k -> new ArrayList<>()).add(e);
        }
        accounts.appendAll(entries);
    }

    /** The ledger entry an order earns, or null when it earns nothing. */
    private PointsEntry.Builder earning(OrderFacts o, Customer c) {
        Attribution a = o.couponAttribution();
        Instant placed = o.placedAt() == null ? clock.instant() : o.placedAt();
        EarnFact fact = new EarnFact(c.getId(), c.getLevel(), c.getTier(), c.getLifecycle(), c.getTags(), c.getCountry(),
                o.platform(), o.currency(), a == null ? null : a.campaignId(), a == null ? null : a.journeyId(),
                LocalDate.ofInstant(placed, ZoneOffset.UTC).toString(), o.totalBase().doubleValue(), o.couponUsed());
        EarnRates.Rate rate = rates.decide(fact);
        long points = rate.points(o.totalBase());
        if (points <= 0) return null;
        return PointsEntry.of("order:" + o.orderKey(), PointsEntry.EARN, points).orderKey(o.orderKey())
                .amountBase(o.totalBase()).gross(points).occurredAt(placed).expiresAt(expiry(placed))
                .detail(rate.detail());
    }

    /**
     * A refund, return or cancellation invoice of an order: takes back the refunded share of what the order earned.
     * {@code amountBase} null means the whole order. Orders that earned nothing are left alone.
     */
    public Optional<Booked> refund(String customerId, String orderKey, String returnKey, BigDecimal amountBase,
                                   String kind, Instant at) {
        if (customerId == null || orderKey == null || returnKey == null) return Optional.empty();
        LoyaltyAccount known = earned(customerId, orderKey);
        if (known == null) return Optional.empty();
        LoyaltyAccounts.Written w = accounts.write(customerId, known, s -> {
            Ledger.OrderPoints o = s.orders().get(orderKey);
            if (o == null || o.earnEntryId() == null) return LoyaltyAccounts.Change.none();
            BigDecimal amount = amountBase == null ? (o.totalBase() == null ? BigDecimal.ZERO : o.totalBase()) : amountBase;
            Ledger.OrderPoints after = new Ledger.OrderPoints(orderKey, o.earnEntryId(), o.gross(), o.net(),
                    o.totalBase(), o.reversed(), o.refundedBase().add(amount), o.cancelled());
            long delta = Math.max(0, Math.min(after.target() - o.givenBack(), o.gross() - o.givenBack()));
            return LoyaltyAccounts.Change.of(List.of(PointsEntry.of("refund:" + returnKey, PointsEntry.REVERSE, -delta)
                    .orderKey(orderKey).amountBase(amount).ref(returnKey).reason(kind == null ? "refund" : kind)
                    .occurredAt(at)));
        });
        return Optional.of(new Booked(customerId, w.appended(), w.account().balance()));
    }

    /** An order cancelled (or marked refunded as a whole): takes back everything it earned that is not back yet. */
    public Optional<Booked> cancel(String customerId, String orderKey, String status, Instant at) {
        if (customerId == null || orderKey == null) return Optional.empty();
        if (!OrderStatus.CANCELLED.equals(status) && !OrderStatus.REFUNDED.equals(status)) return Optional.empty();
        LoyaltyAccount known = earned(customerId, orderKey);
        if (known == null) return Optional.empty();
        String reason = OrderStatus.CANCELLED.equals(status) ? Ledger.CANCELLED : Ledger.REFUNDED;
        LoyaltyAccounts.Written w = accounts.write(customerId, known, s -> {
            Ledger.OrderPoints o = s.orders().get(orderKey);
            if (o == null || o.earnEntryId() == null) return LoyaltyAccounts.Change.none();
            long delta = Math.max(0, o.gross() - o.givenBack());
            return LoyaltyAccounts.Change.of(List.of(PointsEntry.of(reason + ":" + orderKey, PointsEntry.REVERSE,
                    -delta).orderKey(orderKey).reason(reason).occurredAt(at)));
        });
        return Optional.of(new Booked(customerId, w.appended(), w.account().balance()));
    }

    /** The account when the order earned points in it, else null (a primary-key read, reused by the write). */
    private LoyaltyAccount earned(String customerId, String orderKey) {
        String id = PointsEntry.idOf("order:" + orderKey);
        LoyaltyAccount a = accounts.find(customerId);
        return a.entries().stream().anyMatch(e -> e.id().equals(id)) ? a : null;
    }

    // ---- bonuses, adjustments ----

    /**
     * Bonus points, once per kind and source id ({@code review:<eventId>}, {@code referral:<referredCustomer>},
     * {@code birthday:<customer>:<year>}...). {@code points} null = the kind's rule parameter.
     */
    public Booked bonus(String customerId, String kind, String sourceId, Long points, String note, String actor) {
        if (!BONUS_KINDS.contains(kind)) throw new BadRequestException("kind must be one of " + BONUS_KINDS);
        if (sourceId == null || sourceId.isBlank() || sourceId.length() > 300) {
            throw new BadRequestException("sourceId is required (at most 300 characters): what the bonus is for");
        }
        long p = points != null ? points : rates.bonus(kind, 0);
        if (p < 0 || p > 100_000_000) throw new BadRequestException("points must be 0..100000000");
        requireCustomer(customerId);
        if (p == 0) return new Booked(customerId, List.of(), accounts.find(customerId).balance());
        String source = kind + ":" + sourceId;
        Instant now = clock.instant();
        LoyaltyAccounts.Written w = accounts.write(customerId, s -> LoyaltyAccounts.Change.of(List.of(
                PointsEntry.of(source, PointsEntry.BONUS, p).reason(kind).ref(sourceId).actor(actor)
                        .detail(note == null ? null : Map.of("note", note)).expiresAt(expiry(now)))));
        return new Booked(customerId, w.appended(), w.account().balance());
    }

    /** A manual correction with a reason; refused when it would take the balance below zero. */
    public Booked adjust(String customerId, long points, String reason, String requestId, String actor) {
        if (points == 0 || Math.abs(points) > 100_000_000) throw new BadRequestException("points must be non-zero (at most 100000000)");
        if (reason == null || reason.isBlank() || reason.length() > 500) {
            throw new BadRequestException("reason is required (at most 500 characters)");
        }
        requireCustomer(customerId);
        String source = "adjust:" + customerId + ":" + (requestId == null || requestId.isBlank()
                ? new ObjectId().toHexString() : requestId);
        Instant now = clock.instant();
        LoyaltyAccounts.Written w = accounts.write(customerId, s -> {
            if (s.sources().contains(source)) return LoyaltyAccounts.Change.none();
            if (points < 0 && s.balance() + points < 0) {
                throw new ConflictException("the balance is " + s.balance() + "; an adjustment of " + points
                        + " would make it negative");
            }
            return LoyaltyAccounts.Change.of(List.of(PointsEntry.of(source, PointsEntry.ADJUST, points)
                    .reason(reason.trim()).actor(actor).expiresAt(expiry(now))));
        });
        return new Booked(customerId, w.appended(), w.account().balance());
    }

    // ---- redemption ----

    /**
     * A redemption: the debit entry, the coupon it bought, the balance after it and the points this call booked
     * (the debit plus expiries of due points booked with it; 0 for a retry).
     */
    public record Redemption(PointsEntry entry, CouponService.IssuedCoupon coupon, long balance, boolean duplicate,
                             long booked) {
    }

    /**
     * Spends the definition's {@code pointsCost} on one of its codes. Never takes the balance below zero (the check
     * and the debit are one compare-and-set). Idempotent by {@code requestId}: a retry returns the same code. The
     * debit is booked first with the code drawn beforehand, then the code is issued (idempotent by the debit's
     * source); should issuing fail after the debit, the points are credited back.
     */
    public Redemption redeem(String customerId, String definitionId, String requestId, String actor) {
        requireCustomer(customerId);
        CouponDefinition d = definitions.get(definitionId);
        if (d.pointsCost() == null) throw new ConflictException("coupon definition " + d.id() + " cannot be bought with points");
        String source = "redeem:" + customerId + ":" + (requestId == null || requestId.isBlank()
                ? new ObjectId().toHexString() : requestId);
        String entryId = PointsEntry.idOf(source);
        LoyaltyAccount known = accounts.find(customerId);
        PointsEntry existing = known.entries().stream().filter(e -> e.id().equals(entryId)).findFirst().orElse(null);
        if (existing == null) coupons.checkIssuable(d.id(), customerId);
        String code = existing != null ? existing.ref() : coupons.drawCode(d.id());
        long cost = d.pointsCost();
        LoyaltyAccounts.Written w = accounts.write(customerId, known, s -> {
            if (s.sources().contains(source)) return LoyaltyAccounts.Change.none();
            if (s.balance() < cost) {
                throw new ConflictException("insufficient points: the balance is " + s.balance() + ", " + d.id()
                        + " costs " + cost);
            }
            return LoyaltyAccounts.Change.of(List.of(PointsEntry.of(source, PointsEntry.REDEEM, -cost)
                    .reason(d.id()).ref(code).actor(actor)));
        });
        PointsEntry entry = w.account().entries().stream().filter(e -> e.id().equals(entryId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("redemption entry missing after write"));
        try {
            CouponService.IssuedCoupon coupon = coupons.issue(new CouponService.IssueRequest(d.id(), customerId, null,
                    null, Attribution.of("points"), source, entry.ref()));
            boolean duplicate = w.appended().stream().noneMatch(e -> e.id().equals(entryId));
            return new Redemption(entry, coupon, w.account().balance(), duplicate,
                    w.appended().stream().mapToLong(PointsEntry::points).sum());
        } catch (RuntimeException e) {
            log.warn("Points redemption {} of customer {} could not issue its coupon; crediting back: {}", source,
                    customerId, e.getMessage());
            accounts.write(customerId, s -> LoyaltyAccounts.Change.of(List.of(PointsEntry.of("refund-" + source,
                    PointsEntry.ADJUST, cost).reason("coupon could not be issued: " + e.getMessage()).ref(entry.ref())
                    .expiresAt(expiry(clock.instant())))));
            throw e;
        }
    }

    // ---- expiry ----

    /** Books the expiry of every credit due by now in this account; returns the points expired. */
    public long expire(String customerId) {
        LoyaltyAccounts.Written w = accounts.write(customerId, s -> LoyaltyAccounts.Change.none());
        return -w.appended().stream().mapToLong(PointsEntry::points).sum();
    }

    /** Expires due credits of every account that has some (the daily job). */
    public Map<String, Long> expireDue() {
        long accountsTouched = 0;
        long points = 0;
        for (String id : accounts.dueForExpiry(clock.instant())) {
            try {
                long p = expire(id);
                if (p > 0) {
                    accountsTouched++;
                    points += p;
                }
            } catch (RuntimeException e) {
                log.warn("Could not expire the points of customer {}: {}", id, e.toString());
            }
        }
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("accounts", accountsTouched);
        out.put("points", points);
        return out;
    }

    Instant expiry(Instant from) {
        if (props.expiryMonths() <= 0) return null;
        return from.atZone(ZoneOffset.UTC).plusMonths(props.expiryMonths()).toInstant();
    }

    // ---- reading ----

    /**
     * Balance, points expiring within {@code expiring-soon}, totals by type and the newest entries (before
     * {@code before} when paging). Books due expiries first so the balance never includes expired points.
     */
    public Map<String, Object> view(String customerId, int limit, Instant before) {
        requireCustomer(customerId);
        Instant now = clock.instant();
        LoyaltyAccount a = accounts.find(customerId);
        if (a.nextExpiryAt() != null && !a.nextExpiryAt().isAfter(now)) {
            accounts.write(customerId, s -> LoyaltyAccounts.Change.none());
            a = accounts.find(customerId);
        }
        Ledger.State s = Ledger.fold(a.entries());
        Instant until = now.plus(props.expiringSoon());
        List<Map<String, Object>> soon = new ArrayList<>();
        long soonPoints = 0;
        for (Ledger.Lot l : s.expiringBy(until)) {
            soon.add(Map.of("points", l.remaining(), "expiresAt", l.expiresAt()));
            soonPoints += l.remaining();
        }
        Map<String, Object> expiring = new LinkedHashMap<>();
        expiring.put("points", soonPoints);
        expiring.put("within", props.expiringSoon().toString());
        expiring.put("until", until);
        expiring.put("lots", soon);
        List<PointsEntry> newestFirst = new ArrayList<>(Ledger.inBookingOrder(a.entries()));
        java.util.Collections.reverse(newestFirst);
        List<PointsEntry> history = newestFirst.stream()
                .filter(e -> before == null || e.at().isBefore(before)).limit(limit).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("customerId", customerId);
        out.put("balance", a.balance());
        out.put("expiringSoon", expiring);
        out.put("nextExpiryAt", s.nextExpiry());
        out.put("totals", s.totals());
        out.put("entries", a.entries().size());
        out.put("history", history);
        return out;
    }

    private void requireCustomer(String customerId) {
        if (customerId == null || !mongo.exists(Query.query(Criteria.where("_id").is(customerId)), Customer.class)) {
            throw new NotFoundException("customer " + customerId + " not found");
        }
    }

    private Optional<Customer> customer(String id) {
        Query q = Query.query(Criteria.where("_id").is(id));
        q.fields().include(EARN_FIELDS);
        return Optional.ofNullable(mongo.findOne(q, Customer.class));
    }
}
