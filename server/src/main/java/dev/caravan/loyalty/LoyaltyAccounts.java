package dev.caravan.loyalty;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.caravan.common.store.ByIds;
import dev.caravan.common.web.ConflictException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.BulkOperationException;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Storage of loyalty accounts. A write reads the account, lets the caller decide what to append from the folded
 * state (balance, lots, orders, booked sources), and stores the new entries with the recomputed balance in one
 * compare-and-set on the version; a concurrent write makes it read and decide again. Entries whose source is
 * already booked are dropped, so every write is idempotent. Points due to expire are expired in the same write.
 */
@Component
public class LoyaltyAccounts {

    /** What a write decided: entries to append (builders; entries of sources already booked are dropped). */
    public record Change(List<PointsEntry.Builder> entries) {
        static Change of(List<PointsEntry.Builder> entries) {
            return new Change(entries);
        }

        static Change none() {
            return new Change(List.of());
        }
    }

    /** The account after a write, its folded state and the entries this write appended (empty for a replay). */
    public record Written(LoyaltyAccount account, Ledger.State state, List<PointsEntry> appended) {
    }

    private static final int ATTEMPTS = 100;

    private final MongoTemplate mongo;
    private final LoyaltyProperties props;
    private final Clock clock;

    LoyaltyAccounts(MongoTemplate mongo, LoyaltyProperties props, Clock clock) {
        this.mongo = mongo;
        this.props = props;
        this.clock = clock;
    }

    public LoyaltyAccount find(String customerId) {
        LoyaltyAccount a = mongo.findById(customerId, LoyaltyAccount.class);
        return a == null ? LoyaltyAccount.empty(customerId) : a;
    }

    /** Whether the customer has an account document at all. */
    boolean exists(String customerId) {
        return mongo.exists(Query.query(Criteria.where("_id").is(customerId)), LoyaltyAccount.class);
    }

    /**
     * Appends what {@code decide} returns for the current state. {@code decide} may throw (e.g. a
     * {@link ConflictException} for an insufficient balance); it is called again after a concurrent write.
     */
    Written write(String customerId, Function<Ledger.State, Change> decide) {
        return write(customerId, null, decide);
    }

    /**
     * As {@link #write(String, Function)}, starting from an account the caller has just read (saves a read when it
     * is still current; a stale one only costs a retry).
     */
    Written write(String customerId, LoyaltyAccount known, Function<Ledger.State, Change> decide) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            LoyaltyAccount a = attempt == 0 && known != null && known.v() > 0 ? known
                    : mongo.findById(customerId, LoyaltyAccount.class);
            boolean fresh = a == null;
            if (fresh) a = LoyaltyAccount.empty(customerId);
            Instant now = clock.instant();
            Appended p = append(a, decide, now);
            if (p.added().isEmpty()) return new Written(a, p.current(), List.of());
            if (fresh) {
                try {
                    mongo.insert(p.account());
                    return new Written(p.account(), p.after(), p.added());
                } catch (DuplicateKeyException e) {
                    continue; // created meanwhile: decide again on what is stored
                }
            }
            if (mongo.updateFirst(p.compareAndSet(), p.update(), LoyaltyAccount.class).getModifiedCount() == 1) {
                return new Written(p.account(), p.after(), p.added());
            }
        }
        throw new ConflictException("the loyalty account of customer " + customerId
                + " is being changed concurrently; try again");
    }

    /**
     * Appends entries to many accounts at once (the orders of one ingested batch): one read of all the accounts,
     * one insert of the new ones and one unordered bulk of compare-and-set updates. Customers whose write lost a
     * race (or whose ledger is full) are written again one by one; entries of sources already booked are dropped,
     * so nothing is booked twice.
     */
    void appendAll(Map<String, List<PointsEntry.Builder>> entriesByCustomer) {
        if (entriesByCustomer.isEmpty()) return;
        Map<String, LoyaltyAccount> stored = new HashMap<>();
        ByIds.find(mongo, entriesByCustomer.keySet(), LoyaltyAccount.class).forEach(a -> stored.put(a.customerId(), a));
        Instant now = clock.instant();
        List<LoyaltyAccount> created = new ArrayList<>();
        BulkOperations updates = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, LoyaltyAccount.class);
        List<String> updated = new ArrayList<>();
        List<String> oneByOne = new ArrayList<>();
        entriesByCustomer.forEach((customerId, entries) -> {
            LoyaltyAccount a = stored.get(customerId);
            Appended p;
            try {
                p = append(a == null ? LoyaltyAccount.empty(customerId) : a, s -> Change.of(entries), now);
            } catch (ConflictException full) {
                oneByOne.add(customerId); // reported by the single write below
                return;
            }
            if (p.added().isEmpty()) return;
            if (a == null) {
                created.add(p.account());
            } else {
                updates.updateOne(p.compareAndSet(), p.update());
                updated.add(customerId);
            }
        });
        if (!created.isEmpty()) {
            try {
                mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, LoyaltyAccount.class).insert(created).execute();
            } catch (BulkOperationException e) {
                e.getErrors().forEach(err -> oneByOne.add(created.get(err.getIndex()).customerId()));
            }
        }
        if (!updated.isEmpty() && updates.execute().getModifiedCount() < updated.size()) {
            oneByOne.addAll(updated); // which one lost is unknown; rewriting the others is a no-op
        }
        for (String customerId : oneByOne) {
            List<PointsEntry.Builder> entries = entriesByCustomer.get(customerId);
            write(customerId, s -> Change.of(entries));
        }
    }

    /** What appending to one account amounts to: due expiries plus what {@code decide} adds. */
    private record Appended(LoyaltyAccount stored, Ledger.State current, List<PointsEntry> added,
                            LoyaltyAccount account, Ledger.State after, Instant now) {

        Query compareAndSet() {
            return Query.query(Criteria.where("_id").is(stored.customerId()).and("v").is(stored.v()));
        }

        Update update() {
            Update u = new Update().set("balance", after.balance()).set("nextExpiryAt", after.nextExpiry())
                    .set("updatedAt", now).inc("v", 1);
            u.push("entries").each(added.toArray());
            return u;
        }
    }

    private Appended append(LoyaltyAccount a, Function<Ledger.State, Change> decide, Instant now) {
        String customerId = a.customerId();
        Ledger.State state = Ledger.fold(a.entries());
        List<PointsEntry> add = new ArrayList<>();
        Set<String> sources = new java.util.HashSet<>(state.sources());
        for (PointsEntry.Builder b : Ledger.expiries(state, now)) {
            if (sources.add(b.source())) add.add(b.book(now, customerId));
        }
        Ledger.State current = add.isEmpty() ? state : Ledger.fold(concat(a.entries(), add));
        Change change = decide.apply(current);
        for (PointsEntry.Builder b : change.entries()) {
            if (sources.add(b.source())) add.add(b.book(now, customerId));
        }
        if (add.isEmpty()) return new Appended(a, current, List.of(), a, current, now);
        if (a.entries().size() + add.size() > props.maxEntries()) {
            throw new ConflictException("the points ledger of customer " + customerId + " is full ("
                    + props.maxEntries() + " entries, caravan.loyalty.max-entries)");
        }
        List<PointsEntry> all = concat(a.entries(), add);
        Ledger.State after = Ledger.fold(all);
        LoyaltyAccount next = new LoyaltyAccount(customerId, a.v() + 1, after.balance(), after.nextExpiry(), all,
                a.coupons(), now);
        return new Appended(a, current, add, next, after, now);
    }

    /**
     * Lists a coupon issued to the customer on the account ({@code $addToSet} by id, creating the account if needed;
     * ledger writes never touch the list, so this needs no version check).
     */
    void addCoupon(String customerId, LoyaltyAccount.CouponRef ref) {
        mongo.upsert(Query.query(Criteria.where("_id").is(customerId)), new Update().addToSet("coupons", ref)
                .setOnInsert("v", 1L).setOnInsert("balance", 0L).setOnInsert("entries", List.of()), LoyaltyAccount.class);
    }

    /**
     * Moves entries and coupon references matching the predicates from one account to another (merges and
     * unmerges): first added to the target (idempotent by entry id), then removed from the source, each a
     * compare-and-set. Returns the number of entries moved.
     */
    int move(String from, String to, Predicate<PointsEntry> entries, Predicate<LoyaltyAccount.CouponRef> coupons) {
        LoyaltyAccount source = mongo.findById(from, LoyaltyAccount.class);
        if (source == null) return 0;
        List<PointsEntry> moving = source.entries().stream().filter(entries).toList();
        List<LoyaltyAccount.CouponRef> movingCoupons = source.coupons().stream().filter(coupons).toList();
        if (moving.isEmpty() && movingCoupons.isEmpty()) return 0;
        replace(to, a -> {
            Set<String> ids = new java.util.HashSet<>();
            a.entries().forEach(e -> ids.add(e.id()));
            List<PointsEntry> all = new ArrayList<>(a.entries());
            moving.stream().filter(e -> !ids.contains(e.id())).forEach(all::add);
            Set<String> codes = new java.util.HashSet<>();
            a.coupons().forEach(c -> codes.add(c.code()));
            List<LoyaltyAccount.CouponRef> cs = new ArrayList<>(a.coupons());
            movingCoupons.stream().filter(c -> !codes.contains(c.code())).forEach(cs::add);
            return new Moved(all, cs);
        });
        Set<String> movedIds = new java.util.HashSet<>();
        moving.forEach(e -> movedIds.add(e.id()));
        Set<String> movedCodes = new java.util.HashSet<>();
        movingCoupons.forEach(c -> movedCodes.add(c.code()));
        replace(from, a -> new Moved(a.entries().stream().filter(e -> !movedIds.contains(e.id())).toList(),
                a.coupons().stream().filter(c -> !movedCodes.contains(c.code())).toList()));
        return moving.size();
    }

    private record Moved(List<PointsEntry> entries, List<LoyaltyAccount.CouponRef> coupons) {
    }

    /** Replaces an account's entries and coupons (merges only), with the derived fields, by compare-and-set. */
    private void replace(String customerId, Function<LoyaltyAccount, Moved> change) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            LoyaltyAccount a = mongo.findById(customerId, LoyaltyAccount.class);
            boolean fresh = a == null;
            if (fresh) a = LoyaltyAccount.empty(customerId);
            Moved m = change.apply(a);
            Ledger.State s = Ledger.fold(m.entries());
            Instant now = clock.instant();
            if (fresh) {
                try {
                    mongo.insert(new LoyaltyAccount(customerId, 1, s.balance(), s.nextExpiry(), m.entries(),
                            m.coupons(), now));
                    return;
                } catch (DuplicateKeyException e) {
                    continue;
                }
            }
            Update u = new Update().set("entries", m.entries()).set("coupons", m.coupons())
                    .set("balance", s.balance()).set("nextExpiryAt", s.nextExpiry()).set("updatedAt", now).inc("v", 1);
            if (mongo.updateFirst(Query.query(Criteria.where("_id").is(customerId).and("v").is(a.v())), u,
                    LoyaltyAccount.class).getModifiedCount() == 1) {
                return;
            }
        }
        throw new ConflictException("the loyalty account of customer " + customerId + " is being changed concurrently");
    }

    /** Deletes an account that no longer has entries or coupons (the absorbed side of a merge). */
    void removeIfEmpty(String customerId) {
        LoyaltyAccount a = mongo.findById(customerId, LoyaltyAccount.class);
        if (a != null && a.entries().isEmpty() && a.coupons().isEmpty()) {
            mongo.remove(Query.query(Criteria.where("_id").is(customerId).and("v").is(a.v())), LoyaltyAccount.class);
        }
    }

    /** Ids of accounts with points due to expire at {@code now} (a scan on the embedded store; daily job). */
    List<String> dueForExpiry(Instant now) {
        Query q = Query.query(Criteria.where("nextExpiryAt").lte(now));
        q.fields().include("_id");
        return mongo.find(q, LoyaltyAccount.class).stream().map(LoyaltyAccount::customerId).toList();
    }

    /** Rewrites the cached balance and expiry of an account from its entries (reconciliation repair). */
    void recache(String customerId) {
        replace(customerId, a -> new Moved(a.entries(), a.coupons()));
    }

    private static List<PointsEntry> concat(Collection<PointsEntry> a, Collection<PointsEntry> b) {
        List<PointsEntry> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }
}
