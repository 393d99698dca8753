package dev.caravan.loyalty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import dev.caravan.common.job.Job;
import dev.caravan.common.job.JobService;
import dev.caravan.common.web.NotFoundException;
import dev.caravan.loyalty.coupon.Attribution;
import dev.caravan.loyalty.coupon.CouponCode;
import dev.caravan.loyalty.coupon.CouponService;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;

/**
 * Proves the ledger adds up. For every account: the stored balance equals the sum of its entries; the unspent
 * credits minus the debt equal that sum too (the FIFO replay agrees); no source and no entry is booked twice, also
 * not across accounts (a merge interrupted halfway); no redemption was booked against a balance too small for it;
 * the stored next expiry is the earliest unspent credit's; every redemption's coupon exists. With {@code repair},
 * stored balances and expiries are rewritten from the entries and missing coupons of redemptions issued.
 * Runs as a job ({@code loyalty-reconciliation}); problems are the job's warnings (first 200).
 */
@Service
public class Reconciliation {

    static final String JOB_KIND = "loyalty-reconciliation";
    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);
    private static final int MAX_PROBLEMS = 200;

    /** The outcome: counters (accounts, entries, points, problems...) and the problems found. */
    public record Report(Map<String, Long> counters, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final MongoTemplate mongo;
    private final LoyaltyAccounts accounts;
    private final CouponService coupons;
    private final JobService jobs;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "loyalty-reconciliation");
        t.setDaemon(true);
        return t;
    });

    Reconciliation(MongoTemplate mongo, LoyaltyAccounts accounts, CouponService coupons, JobService jobs) {
        this.mongo = mongo;
        this.accounts = accounts;
        this.coupons = coupons;
        this.jobs = jobs;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    public synchronized Job submit(String actor, boolean repair) {
        List<Job> running = jobs.unfinished(JOB_KIND);
        if (!running.isEmpty()) return running.get(0);
        Job job = jobs.create(JOB_KIND, Map.of("repair", String.valueOf(repair)), actor);
        executor.submit(() -> {
            jobs.started(job.getId());
            try {
                Report r = check(repair);
                if (!r.problems().isEmpty()) jobs.warnings(job.getId(), r.problems());
                jobs.succeeded(job.getId(), r.counters(), r.ok() ? "the ledger adds up"
                        : r.counters().get("problems") + " problem(s) found" + (repair ? "; repairs attempted" : ""));
            } catch (RuntimeException e) {
                log.error("Loyalty reconciliation failed", e);
                jobs.failed(job.getId(), e.toString());
            }
        });
        return job;
    }

    public Job get(String id) {
        return jobs.find(id, JOB_KIND).orElseThrow(() -> new NotFoundException("reconciliation " + id + " not found"));
    }

    /** Checks every account (and repairs what can be rebuilt from the entries when asked). */
    public Report check(boolean repair) {
        Map<String, Long> c = new LinkedHashMap<>();
        for (String k : List.of("accounts", "entries", "points", "negativeBalances", "problems", "repaired")) c.put(k, 0L);
        List<String> problems = new ArrayList<>();
        Map<String, String> entryOwner = new HashMap<>();
        Map<String, PointsEntry> redemptions = new LinkedHashMap<>();
        Map<String, String> redemptionOwner = new HashMap<>();
        try (Stream<LoyaltyAccount> all = mongo.stream(new Query(), LoyaltyAccount.class)) {
            for (LoyaltyAccount a : (Iterable<LoyaltyAccount>) all::iterator) {
                c.merge("accounts", 1L, Long::sum);
                c.merge("entries", (long) a.entries().size(), Long::sum);
                Ledger.State s = Ledger.fold(a.entries());
                c.merge("points", s.balance(), Long::sum);
                if (s.balance() < 0) c.merge("negativeBalances", 1L, Long::sum);
                String who = "customer " + a.customerId() + ": ";
                boolean recache = false;
                long sum = a.entries().stream().mapToLong(PointsEntry::points).sum();
                if (a.balance() != sum) {
                    problem(problems, c, who + "stored balance " + a.balance() + " but the entries sum to " + sum);
                    recache = true;
                }
                if (s.lotTotal() - s.debt() != sum) {
                    problem(problems, c, who + "unspent credits " + s.lotTotal() + " minus debt " + s.debt()
                            + " differ from the sum " + sum);
                }
                if (!Objects.equals(a.nextExpiryAt(), s.nextExpiry())) {
                    problem(problems, c, who + "stored next expiry " + a.nextExpiryAt() + " but the ledger says "
                            + s.nextExpiry());
                    recache = true;
                }
                Set<String> sources = new HashSet<>();
                long running = 0;
                // after a merge or unmerge, entries of two histories interleave: a past overdraft is then no error
                boolean ownHistory = a.entries().stream().allMatch(x -> a.customerId().equals(x.origin()));
                for (PointsEntry e : Ledger.inBookingOrder(a.entries())) {
                    if (!sources.add(e.source())) problem(problems, c, who + "source " + e.source() + " booked twice");
                    String other = entryOwner.put(e.id(), a.customerId());
                    if (other != null && !other.equals(a.customerId())) {
                        problem(problems, c, who + "entry " + e.id() + " (" + e.source() + ") is also in the account "
                                + "of customer " + other);
                    }
                    if (PointsEntry.REDEEM.equals(e.type())) {
                        if (running + e.points() < 0 && ownHistory) {
                            problem(problems, c, who + "redemption " + e.source() + " of " + -e.points()
                                    + " was booked against a balance of " + running);
                        }
                        if (e.ref() != null) {
                            redemptions.put(e.ref(), e);
                            redemptionOwner.put(e.ref(), a.customerId());
                        }
                    }
                    running += e.points();
                }
                if (recache && repair) {
                    accounts.recache(a.customerId());
                    c.merge("repaired", 1L, Long::sum);
                }
            }
        }
        List<String> codes = new ArrayList<>(redemptions.keySet());
        Set<String> existing = new HashSet<>();
        for (CouponCode code : coupons.codes(codes)) existing.add(code.code());
        for (String code : codes) {
            if (existing.contains(code)) continue;
            PointsEntry e = redemptions.get(code);
            String owner = redemptionOwner.get(code);
            problem(problems, c, "customer " + owner + ": redemption " + e.source() + " bought code " + code
                    + ", which does not exist");
            if (repair) {
                try {
                    coupons.issue(new CouponService.IssueRequest(e.reason(), owner, null, null, Attribution.of("points"),
                            e.source(), code));
                    c.merge("repaired", 1L, Long::sum);
                } catch (RuntimeException ex) {
                    log.warn("Could not issue the coupon of redemption {}: {}", e.source(), ex.toString());
                }
            }
        }
        return new Report(c, problems.size() > MAX_PROBLEMS ? problems.subList(0, MAX_PROBLEMS) : problems);
    }

    private static void problem(List<String> problems, Map<String, Long> c, String text) {
        c.merge("problems", 1L, Long::sum);
        if (problems.size() <= MAX_PROBLEMS) problems.add(text);
    }
}
