package dev.caravan.loyalty;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a list of ledger entries adds up to: the balance, the unspent credits ("lots") with their expiry, what each
 * order earned and gave back, and the sources already booked. Pure and deterministic: every figure the feature shows
 * or checks is derived from the entries by this fold, never stored on its own.
 *
 * <p>Entries are replayed in booking order ({@code at}, then position). A credit becomes a lot (after paying off any
 * debt). A debit takes points from lots: an expiry from the lot it names, a reversal first from the lot its order
 * earned, everything else first-to-expire first (FIFO); what no lot covers becomes debt (only reversals and merges
 * can create debt, since redemptions and adjustments are refused beyond the balance). Invariant:
 * {@code balance == sum(lots.remaining) - debt}.
 */
final class Ledger {

    /** Reasons of reversals that take back everything an order earned (cancelled, or marked refunded as a whole). */
    static final String CANCELLED = "cancelled";
    static final String REFUNDED = "refunded";

    static boolean fullReversal(String reason) {
        return CANCELLED.equals(reason) || REFUNDED.equals(reason);
    }

    /** Unspent points of one credit entry. */
    record Lot(String entryId, long remaining, Instant expiresAt, Instant at) {
    }

    /** What one order earned and what was given back. */
    record OrderPoints(String orderKey, String earnEntryId, long gross, long net, BigDecimal totalBase, long reversed,
                       BigDecimal refundedBase, boolean cancelled) {
        /** Points already taken back: reversal entries plus what the earn withheld (gross - net). */
        long givenBack() {
            return reversed + (gross - net);
        }

        /** Points that should have been taken back by now: all when cancelled, else the refunded share. */
        long target() {
            if (cancelled || gross <= 0) return Math.max(gross, 0);
            if (totalBase == null || totalBase.signum() <= 0) return refundedBase.signum() > 0 ? gross : 0;
            BigDecimal share = refundedBase.divide(totalBase, 12, RoundingMode.HALF_UP).min(BigDecimal.ONE);
            return BigDecimal.valueOf(gross).multiply(share).setScale(0, RoundingMode.HALF_UP).longValueExact();
        }
    }

    record State(long balance, long debt, List<Lot> lots, Map<String, OrderPoints> orders, Set<String> sources,
                 Set<String> ids, Map<String, Long> totals, int entries) {

        /** Unspent points expiring at or before {@code until}, oldest expiry first. */
        List<Lot> expiringBy(Instant until) {
            return lots.stream().filter(l -> l.expiresAt() != null && !l.expiresAt().isAfter(until)).toList();
        }

        Instant nextExpiry() {
            return lots.stream().map(Lot::expiresAt).filter(java.util.Objects::nonNull).min(Instant::compareTo)
                    .orElse(null);
        }

        long lotTotal() {
            return lots.stream().mapToLong(Lot::remaining).sum();
        }
    }

    private Ledger() {
    }

    static List<PointsEntry> inBookingOrder(List<PointsEntry> entries) {
        List<PointsEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(PointsEntry::at, Comparator.nullsFirst(Comparator.naturalOrder())));
        return sorted; // stable: entries booked at the same instant keep their order
    }

    /** Unspent lots in consumption order: first to expire first (never-expiring last), then oldest, then id. */
    private static final Comparator<PointsEntry> CONSUMPTION = Comparator
            .comparing(PointsEntry::expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(PointsEntry::at, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(PointsEntry::id);

    static State fold(List<PointsEntry> entries) {
        long balance = 0;
        long debt = 0;
        java.util.TreeMap<PointsEntry, long[]> open = new java.util.TreeMap<>(CONSUMPTION);
        Map<String, PointsEntry> lotEntries = new HashMap<>();
        Map<String, OrderPoints> orders = new HashMap<>();
        Set<String> sources = new HashSet<>();
        Set<String> ids = new HashSet<>();
        Map<String, Long> totals = new LinkedHashMap<>();
        for (PointsEntry e : inBookingOrder(entries)) {
            sources.add(e.source());
            ids.add(e.id());
            balance += e.points();
            totals.merge(e.type(), e.points(), Long::sum);
            if (e.points() > 0) {
                long amount = e.points();
                long pay = Math.min(debt, amount);
                debt -= pay;
                amount -= pay;
                lotEntries.put(e.id(), e);
                if (amount > 0) open.put(e, new long[]{amount});
            } else if (e.points() < 0) {
                long need = -e.points();
                if (PointsEntry.EXPIRE.equals(e.type()) && e.ref() != null) {
                    need = take(open, lotEntries.get(e.ref()), need);
                }
                if (PointsEntry.REVERSE.equals(e.type()) && e.orderKey() != null) {
                    OrderPoints o = orders.get(e.orderKey());
                    if (o != null && o.earnEntryId() != null) need = take(open, lotEntries.get(o.earnEntryId()), need);
                }
                while (need > 0 && !open.isEmpty()) {
                    need = take(open, open.firstKey(), need);
                }
                debt += need;
            }
            if (e.orderKey() != null) track(orders, e);
        }
        List<Lot> lots = new ArrayList<>(open.size());
        open.forEach((e, r) -> lots.add(new Lot(e.id(), r[0], e.expiresAt(), e.at())));
        return new State(balance, debt, List.copyOf(lots), orders, sources, ids, totals, entries.size());
    }

    /** Takes up to {@code need} points from one lot (removing it when empty); returns what is still needed. */
    private static long take(java.util.TreeMap<PointsEntry, long[]> open, PointsEntry lot, long need) {
        long[] r = lot == null ? null : open.get(lot);
        if (r == null || need <= 0) return need;
        long t = Math.min(r[0], need);
        r[0] -= t;
        if (r[0] == 0) open.remove(lot);
        return need - t;
    }

    private static void track(Map<String, OrderPoints> orders, PointsEntry e) {
        OrderPoints o = orders.get(e.orderKey());
        if (PointsEntry.EARN.equals(e.type())) {
            long gross = e.gross() == null ? e.points() : e.gross();
            OrderPoints before = o;
            orders.put(e.orderKey(), new OrderPoints(e.orderKey(), e.id(), gross, e.points(), e.amountBase(),
                    before == null ? 0 : before.reversed(),
                    before == null ? BigDecimal.ZERO : before.refundedBase(), before != null && before.cancelled()));
        } else if (PointsEntry.REVERSE.equals(e.type())) {
            OrderPoints base = o == null
                    ? new OrderPoints(e.orderKey(), null, 0, 0, null, 0, BigDecimal.ZERO, false) : o;
            boolean full = fullReversal(e.reason());
            BigDecimal refunded = base.refundedBase().add(e.amountBase() == null || full ? BigDecimal.ZERO
                    : e.amountBase());
            orders.put(e.orderKey(), new OrderPoints(e.orderKey(), base.earnEntryId(), base.gross(), base.net(),
                    base.totalBase(), base.reversed() - e.points(), refunded, base.cancelled() || full));
        }
    }

    /** Entries that expire every lot due at {@code now}. */
    static List<PointsEntry.Builder> expiries(State s, Instant now) {
        List<PointsEntry.Builder> out = new ArrayList<>();
        for (Lot l : s.lots()) {
            if (l.expiresAt() != null && !l.expiresAt().isAfter(now)) {
                out.add(PointsEntry.of("expire:" + l.entryId(), PointsEntry.EXPIRE, -l.remaining())
                        .ref(l.entryId()).occurredAt(l.expiresAt()).reason("expired"));
            }
        }
        return out;
    }
}
