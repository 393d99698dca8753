package dev.caravan.loyalty;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.caravan.customer.Customer;
import dev.caravan.customer.CustomerRecords;
import dev.caravan.customer.CustomerViewSection;
import dev.caravan.customer.TimelineEntry;
import dev.caravan.customer.TimelineSource;
import dev.caravan.loyalty.coupon.CouponCode;
import dev.caravan.loyalty.coupon.CouponService;
import dev.caravan.order.Order;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Loyalty's part in the customer feature and in messaging:
 * <ul>
 *   <li>merges move the absorbed customer's ledger entries and coupons to the survivor; an unmerge moves back the
 *   entries of orders that return to the restored customer (by the orders' identity keys) and the other entries
 *   first booked for the restored customer (or for customers merged into it earlier), and the codes first issued to
 *   them;</li>
 *   <li>the 360 view gets a {@code loyalty} section (balance, expiring points, level benefits, coupons);</li>
 *   <li>the timeline gets ledger entries and coupon issues and redemptions.</li>
 * </ul>
 */
@Component
class LoyaltyRecords implements CustomerRecords, CustomerViewSection, TimelineSource {

    private static final int VIEW_COUPONS = 20;

    private final LoyaltyAccounts accounts;
    private final CouponService coupons;
    private final BenefitsService benefits;
    private final MongoTemplate mongo;
    private final LoyaltyProperties props;
    private final Clock clock;

    LoyaltyRecords(LoyaltyAccounts accounts, CouponService coupons, BenefitsService benefits, MongoTemplate mongo,
                   LoyaltyProperties props, Clock clock) {
        this.accounts = accounts;
        this.coupons = coupons;
        this.benefits = benefits;
        this.mongo = mongo;
        this.props = props;
        this.clock = clock;
    }

    // ---- merges ----

    @Override
    public void reassign(String fromCustomerId, String toCustomerId) {
        accounts.move(fromCustomerId, toCustomerId, e -> true, c -> true);
        accounts.removeIfEmpty(fromCustomerId);
        coupons.reassign(fromCustomerId, toCustomerId);
    }

    @Override
    public void reassignByIdentity(String fromCustomerId, Collection<String> identityKeys, String toCustomerId) {
        // orders that belong to the restored customer: found the same way whether or not orders moved already
        Query q = Query.query(Criteria.where("customerId").in(fromCustomerId, toCustomerId)
                .and("identityKey").in(identityKeys));
        q.fields().include("_id");
        Set<String> orders = new HashSet<>();
        mongo.find(q, Order.class).forEach(o -> orders.add(o.id()));
        Set<String> origins = new HashSet<>();
        origins.add(toCustomerId);
        Query restored = Query.query(Criteria.where("_id").is(toCustomerId));
        restored.fields().include("mergedFrom");
        Customer c = mongo.findOne(restored, Customer.class);
        if (c != null) origins.addAll(c.getMergedFrom());
        Set<String> movedCodes = new HashSet<>();
        accounts.move(fromCustomerId, toCustomerId,
                e -> e.orderKey() != null && orders.contains(e.orderKey())
                        || e.orderKey() == null && origins.contains(e.origin()),
                ref -> false);
        coupons.reassignByOrigin(fromCustomerId, origins, toCustomerId);
        // the codes that went back are listed on the restored account
        Query codes = Query.query(Criteria.where("customerId").is(toCustomerId));
        codes.fields().include("_id");
        mongo.find(codes, CouponCode.class).forEach(code -> movedCodes.add(code.code()));
        if (!movedCodes.isEmpty()) {
            accounts.move(fromCustomerId, toCustomerId, e -> false, ref -> movedCodes.contains(ref.code()));
        }
    }

    // ---- 360 view ----

    @Override
    public String name() {
        return "loyalty";
    }

    @Override
    public Object forCustomer(String customerId) {
        LoyaltyAccount a = accounts.find(customerId);
        Ledger.State s = Ledger.fold(a.entries());
        Instant now = clock.instant();
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> pts = new LinkedHashMap<>();
        pts.put("balance", a.balance());
        long soon = s.expiringBy(now.plus(props.expiringSoon())).stream().mapToLong(Ledger.Lot::remaining).sum();
        pts.put("expiringSoon", soon);
        pts.put("nextExpiryAt", s.nextExpiry());
        pts.put("totals", s.totals());
        List<PointsEntry> recent = new ArrayList<>(Ledger.inBookingOrder(a.entries()));
        java.util.Collections.reverse(recent);
        pts.put("recent", recent.stream().limit(5).toList());
        out.put("points", pts);
        String level = level(customerId);
        out.put("level", level);
        out.put("benefits", BenefitsService.asVariables(benefits.of(level)));
        List<String> codes = new ArrayList<>();
        List<LoyaltyAccount.CouponRef> refs = a.coupons();
        for (int i = refs.size() - 1; i >= 0 && codes.size() < VIEW_COUPONS; i--) codes.add(refs.get(i).code());
        Map<String, CouponCode> found = new HashMap<>();
        coupons.codes(codes).forEach(c -> found.put(c.code(), c));
        List<Map<String, Object>> list = new ArrayList<>();
        for (String code : codes) {
            CouponCode c = found.get(code);
            if (c == null) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", c.code());
            m.put("definitionId", c.definitionId());
            m.put("value", c.display());
            m.put("status", c.redemption() != null && CouponCode.ACTIVE.equals(c.status()) ? CouponCode.REDEEMED : c.status());
            m.put("expiresAt", c.expiresAt());
            m.put("attribution", c.attribution());
            if (c.redemption() != null) m.put("redeemedBy", c.redemption().orderKey());
            list.add(m);
        }
        out.put("coupons", list);
        out.put("couponCount", refs.size());
        return out;
    }

    private String level(String customerId) {
        Query q = Query.query(Criteria.where("_id").is(customerId));
        q.fields().include("level");
        Customer c = mongo.findOne(q, Customer.class);
        return c == null ? null : c.getLevel();
    }

    // ---- timeline ----

    @Override
    public List<TimelineEntry> timeline(String customerId, Instant before, int limit) {
        LoyaltyAccount a = accounts.find(customerId);
        List<TimelineEntry> out = new ArrayList<>();
        for (PointsEntry e : a.entries()) {
            if (e.points() == 0 || before != null && !e.at().isBefore(before)) continue;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("type", e.type());
            details.put("points", e.points());
            if (e.orderKey() != null) details.put("orderKey", e.orderKey());
            if (e.reason() != null) details.put("reason", e.reason());
            out.add(new TimelineEntry(e.at(), "points", summary(e), e.id(), details));
        }
        Map<String, CouponCode> found = new HashMap<>();
        coupons.codes(a.coupons().stream().map(LoyaltyAccount.CouponRef::code).toList())
                .forEach(c -> found.put(c.code(), c));
        for (LoyaltyAccount.CouponRef ref : a.coupons()) {
            CouponCode c = found.get(ref.code());
            if (c == null) continue;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("definitionId", c.definitionId());
            details.put("value", c.display());
            if (c.attribution() != null) details.put("attribution", c.attribution().ref());
            if (ref.issuedAt() != null && (before == null || ref.issuedAt().isBefore(before))) {
                out.add(new TimelineEntry(ref.issuedAt(), "coupon", "Coupon " + c.code() + " issued: " + c.display(),
                        c.code(), details));
            }
            if (c.redemption() != null && c.redemption().at() != null
                    && (before == null || c.redemption().at().isBefore(before))) {
                out.add(new TimelineEntry(c.redemption().at(), "coupon", "Coupon " + c.code() + " redeemed by order "
                        + c.redemption().orderKey(), c.code(), details));
            }
        }
        out.sort(Comparator.comparing(TimelineEntry::at).reversed());
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    private static String summary(PointsEntry e) {
        long p = Math.abs(e.points());
        return switch (e.type()) {
            case PointsEntry.EARN -> "Earned " + p + " points for order " + e.orderKey();
            case PointsEntry.BONUS -> "Bonus of " + p + " points (" + e.reason() + ")";
            case PointsEntry.REDEEM -> "Spent " + p + " points on coupon " + e.ref();
            case PointsEntry.REVERSE -> p + " points taken back for order " + e.orderKey() + " (" + e.reason() + ")";
            case PointsEntry.EXPIRE -> p + " points expired";
            case PointsEntry.ADJUST -> (e.points() > 0 ? "Added " : "Removed ") + p + " points: " + e.reason();
            default -> e.points() + " points (" + e.type() + ")";
        };
    }
}
