package dev.caravan.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import dev.caravan.common.web.ConflictException;
import dev.caravan.customer.Customer;
import dev.caravan.loyalty.coupon.CouponDefinitions;
import dev.caravan.loyalty.coupon.DefinitionInput;
import dev.caravan.rules.RulesService;
import dev.caravan.test.CaravanTest;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.MongoTemplate;
import tools.jackson.databind.JsonNode;

/**
 * 10,000 random ledger operations (orders over the last 500 days, replays, partial refunds, cancellations,
 * redemptions, adjustments, bonuses, expiries) from four threads over 100 customers, against a model that adds up
 * what every call says it booked. Afterwards every balance equals the model and the sum of its ledger, no
 * redemption ever left a negative balance, and the reconciliation (service and job) finds nothing.
 */
@CaravanTest
class LedgerReconciliationTest {

    static final int OPERATIONS = 10_000;
    static final int THREADS = 4;
    static final int CUSTOMERS = 100;

    @Autowired TestApi api;
    @Autowired TestStore store;
    @Autowired RulesService rules;
    @Autowired BenefitsService benefits;
    @Autowired ConfigurableApplicationContext context;
    @Autowired PointsService points;
    @Autowired CouponDefinitions definitions;
    @Autowired LoyaltyAccounts accounts;
    @Autowired Reconciliation reconciliation;
    @Autowired MongoTemplate mongo;

    @BeforeEach
    void reset() {
        LoyaltyTestSupport.reset(store, rules, benefits, context, api);
    }

    record PlacedOrder(String customerId, String key, BigDecimal total) {
    }

    @Test
    void balancesAreTheSumOfTheLedgerAfterTenThousandRandomOperations() throws Exception {
        Instant now = Instant.now();
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            String id = "rc-" + i;
            mongo.insert(new Customer(id, now.minus(Duration.ofDays(600))));
            customers.add(id);
        }
        definitions.create(new DefinitionInput("reward-25", "Reward", null, "fixed", new BigDecimal("5"), "USD", null,
                null, null, 30, null, null, null, null, null, null, null, null, 25L, null, null, true), "test");

        Map<String, AtomicLong> model = new ConcurrentHashMap<>();
        customers.forEach(c -> model.put(c, new AtomicLong()));
        Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
        AtomicLong redemptionsRefused = new AtomicLong();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            work.add(pool.submit(() -> {
                Random random = new Random(4242 + thread);
                List<PlacedOrder> orders = new ArrayList<>();
                List<String[]> redemptions = new ArrayList<>();
                for (int i = 0; i < OPERATIONS / THREADS; i++) {
                    String cid = customers.get(random.nextInt(CUSTOMERS));
                    int op = random.nextInt(100);
                    String kind;
                    long booked;
                    try {
                        if (op < 30 || orders.isEmpty()) {
                            kind = "earn";
                            BigDecimal total = BigDecimal.valueOf(100 + random.nextInt(20_000), 2);
                            String key = "rnd/" + thread + "/" + i;
                            Instant placed = now.minus(Duration.ofHours(random.nextInt(500 * 24)));
                            booked = points.earn(new PointsService.OrderFacts(key, cid, "shopify", total, "USD", placed,
                                    false, null, true)).map(PointsService.Booked::points).orElse(0L);
                            orders.add(new PlacedOrder(cid, key, total));
                        } else if (op < 35) {
                            kind = "replayed-earn";
                            PlacedOrder o = orders.get(random.nextInt(orders.size()));
                            booked = points.earn(new PointsService.OrderFacts(o.key(), o.customerId(), "shopify", o.total(),
                                    "USD", now, false, null, true)).map(PointsService.Booked::points).orElse(0L);
                            cid = o.customerId();
                        } else if (op < 50) {
                            kind = "refund";
                            PlacedOrder o = orders.get(random.nextInt(orders.size()));
                            BigDecimal amount = o.total().multiply(BigDecimal.valueOf(random.nextInt(101)))
                                    .divide(BigDecimal.valueOf(100), 2, java.math.RoundingMode.HALF_UP);
                            cid = o.customerId();
                            booked = points.refund(cid, o.key(), o.key() + "#r" + i, amount, "refund", now)
                                    .map(PointsService.Booked::points).orElse(0L);
                        } else if (op < 55) {
                            kind = "cancel";
                            PlacedOrder o = orders.get(random.nextInt(orders.size()));
                            cid = o.customerId();
                            booked = points.cancel(cid, o.key(), "cancelled", now).map(PointsService.Booked::points)
                                    .orElse(0L);
                        } else if (op < 70) {
                            kind = "redeem";
                            String request = thread + "-" + i;
                            try {
                                PointsService.Redemption r = points.redeem(cid, "reward-25", request, "test");
                                assertThat(r.balance()).as("balance after a redemption").isGreaterThanOrEqualTo(0);
                                booked = r.booked();
                                redemptions.add(new String[]{cid, request});
                            } catch (ConflictException refused) {
                                assertThat(refused.getMessage()).contains("insufficient points");
                                redemptionsRefused.incrementAndGet();
                                booked = 0;
                            }
                        } else if (op < 75 && !redemptions.isEmpty()) {
                            kind = "replayed-redeem";
                            String[] r = redemptions.get(random.nextInt(redemptions.size()));
                            cid = r[0];
                            PointsService.Redemption again = points.redeem(cid, "reward-25", r[1], "test");
                            assertThat(again.duplicate()).isTrue();
                            booked = again.booked();
                        } else if (op < 85) {
                            kind = "adjust";
                            long p = random.nextInt(200) - 100;
                            if (p == 0) p = 1;
                            try {
                                booked = points.adjust(cid, p, "random", "adj-" + thread + "-" + i, "test").points();
                            } catch (ConflictException negative) {
                                booked = 0;
                            }
                        } else if (op < 95) {
                            kind = "bonus";
                            booked = points.bonus(cid, "other", "b-" + thread + "-" + i, (long) random.nextInt(50), null,
                                    "test").points();
                        } else {
                            kind = "expire";
                            booked = -points.expire(cid);
                        }
                    } catch (RuntimeException e) {
                        throw new AssertionError("operation " + i + " of thread " + thread + " failed", e);
                    }
                    model.get(cid).addAndGet(booked);
                    counts.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : work) f.get();
        pool.shutdown();
        System.out.printf("LedgerReconciliationTest: %d operations in %.1f s wall, %.1f s process CPU, load %.1f%n",
                OPERATIONS, (System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - cpu0) / 1e9,
                os.getSystemLoadAverage());

        long total = 0;
        for (String cid : customers) {
            LoyaltyAccount a = accounts.find(cid);
            long sum = a.entries().stream().mapToLong(PointsEntry::points).sum();
            assertThat(a.balance()).as("stored balance of " + cid).isEqualTo(sum);
            assertThat(sum).as("ledger of " + cid + " against the model").isEqualTo(model.get(cid).get());
            total += sum;
        }
        assertThat(counts.values().stream().mapToLong(AtomicLong::get).sum()).isEqualTo(OPERATIONS);
        assertThat(counts.keySet()).contains("earn", "refund", "cancel", "redeem", "adjust", "bonus", "expire",
                "replayed-earn", "replayed-redeem");
        assertThat(redemptionsRefused.get()).isPositive();

        Reconciliation.Report report = reconciliation.check(false);
        assertThat(report.problems()).isEmpty();
        assertThat(report.counters().get("accounts")).isEqualTo(CUSTOMERS);
        assertThat(report.counters().get("points")).isEqualTo(total);

        JsonNode job = api.admin().post().uri("/api/v1/loyalty/reconciliation").retrieve().body(JsonNode.class);
        JsonNode done = LoyaltyTestSupport.await(api, "/api/v1/loyalty/reconciliation/" + job.path("id").asString(),
                j -> j.path("state").asString().equals("SUCCEEDED") || j.path("state").asString().equals("FAILED"));
        assertThat(done.path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("counters").path("problems").asLong()).isZero();
        assertThat(done.path("counters").path("entries").asLong()).isGreaterThan(OPERATIONS / 2);
        assertThat(LoyaltyTestSupport.balance(api, customers.get(0))).isEqualTo(model.get(customers.get(0)).get());

        // a tampered stored balance is found and repaired from the entries
        mongo.updateFirst(org.springframework.data.mongodb.core.query.Query.query(
                        org.springframework.data.mongodb.core.query.Criteria.where("_id").is(customers.get(1))),
                org.springframework.data.mongodb.core.query.Update.update("balance", 999_999), LoyaltyAccount.class);
        Reconciliation.Report broken = reconciliation.check(true);
        assertThat(broken.problems()).hasSize(1).first().asString().contains("stored balance 999999");
        assertThat(reconciliation.check(false).ok()).isTrue();
    }
}
