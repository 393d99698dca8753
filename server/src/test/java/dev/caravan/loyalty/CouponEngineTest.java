package dev.caravan.loyalty;

import static dev.caravan.loyalty.LoyaltyTestSupport.as;
import static dev.caravan.loyalty.LoyaltyTestSupport.order;
import static dev.caravan.loyalty.LoyaltyTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.caravan.loyalty.coupon.Attribution;
import dev.caravan.loyalty.coupon.CouponRedeemed;
import dev.caravan.loyalty.coupon.CouponService;
import dev.caravan.rules.RulesService;
import dev.caravan.test.CaravanTest;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** Definitions, unique and shared codes, bulk generation and export, concurrent redemption, attribution. */
@CaravanTest
class CouponEngineTest {

    @Autowired TestApi api;
    @Autowired TestStore store;
    @Autowired RulesService rules;
    @Autowired BenefitsService benefits;
    @Autowired CouponService coupons;
    @Autowired ConfigurableApplicationContext context;

    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void reset() {
        LoyaltyTestSupport.reset(store, rules, benefits, context, api);
    }

    @Test
    void definitionsAreValidatedAndUniqueCodesIssuedOncePerKeyWithoutAmbiguousCharacters() {
        ResponseEntity<JsonNode> bad = define(Map.of("id", "Bad Id", "kind", "percentage", "value", "150",
                "eligibleLevels", List.of("platinum"), "currency", "XXX"));
        assertThat(bad.getStatusCode().value()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        bad.getBody().path("errors").forEach(e -> fields.add(e.path("field").asString()));
        assertThat(fields).contains("id", "value", "eligibleLevels", "currency");
        assertThat(define(Map.of("id", "codes", "kind", "free_shipping")).getStatusCode().value()).isEqualTo(400);
        assertThat(as(api, "ANALYST").post().uri("/api/v1/coupons").body(Map.of("id", "x", "kind", "free_shipping"))
                .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(403);

        assertThat(define(Map.of("id", "welcome-10", "name", "Welcome 10%", "kind", "percentage", "value", "10",
                "prefix", "NEW", "perCustomerLimit", 1, "validDays", 14)).getStatusCode().value()).isEqualTo(201);
        assertThat(define(Map.of("id", "welcome-10", "kind", "percentage", "value", "10")).getStatusCode().value())
                .isEqualTo(409);
        String ann = send(api, order("o-1", "ann", "1", now.minus(Duration.ofDays(1)), "20", null));

        JsonNode first = issue("welcome-10", Map.of("customerId", ann, "idempotencyKey", "k-1")).getBody();
        String code = first.path("code").asString();
        assertThat(code).startsWith("NEW").hasSize(13).matches("[A-HJKMNP-Z2-9]+");
        assertThat(first.path("display").asString()).isEqualTo("10%");
        assertThat(Instant.parse(first.path("expiresAt").asString())).isBetween(now.plus(Duration.ofDays(13)),
                now.plus(Duration.ofDays(15)));
        ResponseEntity<JsonNode> again = issue("welcome-10", Map.of("customerId", ann, "idempotencyKey", "k-1"));
        assertThat(again.getStatusCode().value()).isEqualTo(200);
        assertThat(again.getBody().path("code").asString()).isEqualTo(code);
        // one code per customer
        ResponseEntity<JsonNode> second = issue("welcome-10", Map.of("customerId", ann, "idempotencyKey", "k-2"));
        assertThat(second.getStatusCode().value()).isEqualTo(409);
        // eligibility by level
        define(Map.of("id", "gold-only", "kind", "fixed", "value", "5", "currency", "USD", "eligibleLevels", List.of("gold")));
        assertThat(issue("gold-only", Map.of("customerId", ann)).getStatusCode().value()).isEqualTo(409);

        JsonNode view = api.admin().get().uri("/api/v1/customers/" + ann).retrieve().body(JsonNode.class);
        assertThat(view.path("loyalty").path("coupons").get(0).path("code").asString()).isEqualTo(code);
        assertThat(view.path("loyalty").path("coupons").get(0).path("status").asString()).isEqualTo("issued");
    }

    @Test
    void bulkCodesAreUniqueAndExportForShopify() {
        define(Map.of("id", "bf-2026", "kind", "percentage", "value", "20", "prefix", "BF-", "totalLimit", 3000));
        JsonNode job = api.admin().post().uri("/api/v1/coupons/bf-2026/codes").body(Map.of("count", 2500)).retrieve()
                .body(JsonNode.class);
        JsonNode done = LoyaltyTestSupport.await(api, "/api/v1/coupons/jobs/" + job.path("id").asString(),
                j -> j.path("state").asString().equals("SUCCEEDED") || j.path("state").asString().equals("FAILED"));
        assertThat(done.path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("counters").path("generated").asLong()).isEqualTo(2500);
        // the limit counts the generated codes
        ResponseEntity<JsonNode> over = api.admin().post().uri("/api/v1/coupons/bf-2026/codes").body(Map.of("count", 501))
                .retrieve().toEntity(JsonNode.class);
        assertThat(over.getStatusCode().value()).isEqualTo(409);

        String csv = api.admin().get().uri("/api/v1/coupons/bf-2026/export?format=shopify").retrieve().body(String.class);
        List<String> lines = List.of(csv.strip().split("\r?\n"));
        assertThat(lines.get(0)).isEqualTo("Code");
        Set<String> codes = new HashSet<>(lines.subList(1, lines.size()));
        assertThat(codes).hasSize(2500).allMatch(c -> c.matches("BF-[A-HJKMNP-Z2-9]{10}"));
        String generic = api.admin().get().uri("/api/v1/coupons/bf-2026/export?format=generic&status=all").retrieve()
                .body(String.class);
        assertThat(generic.lines().findFirst().orElseThrow()).startsWith("code,definition_id,status,kind,value");
        assertThat(generic.lines().count()).isEqualTo(2501);
        assertThat(api.admin().get().uri("/api/v1/coupons/bf-2026/export?format=excel").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(400);

        // a bulk code used in a Shopify order is redeemed by (and now belongs to) that order's customer
        String code = codes.iterator().next();
        String bea = send(api, order("o-bulk", "bea", "B-1", now, "80", List.of(code.toLowerCase())));
        JsonNode c = api.admin().get().uri("/api/v1/coupons/codes/" + code).retrieve().body(JsonNode.class);
        assertThat(c.path("status").asString()).isEqualTo("redeemed");
        assertThat(c.path("customerId").asString()).isEqualTo(bea);
        JsonNode stats = api.admin().get().uri("/api/v1/coupons/bf-2026/stats").retrieve().body(JsonNode.class);
        assertThat(stats.path("codes").asLong()).isEqualTo(2500);
        assertThat(stats.path("available").asLong()).isEqualTo(2499);
        assertThat(stats.path("redeemed").asLong()).isEqualTo(1);
        assertThat(new BigDecimal(stats.path("revenueBase").asString())).isEqualByComparingTo("80");
    }

    @Test
    void twoOrdersRacingForOneCodeRedeemItOnce() throws Exception {
        define(Map.of("id", "race", "kind", "fixed", "value", "5", "currency", "USD"));
        List<String> customers = send(api, List.of(order("seed-a", "ana", "S-A", now.minus(Duration.ofDays(3)), "1", null),
                order("seed-b", "ben", "S-B", now.minus(Duration.ofDays(3)), "1", null)));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // through the HTTP API: each order is its own request, released at the same moment
            for (int round = 0; round < 5; round++) {
                String code = issue("race", Map.of("customerId", customers.get(0))).getBody().path("code").asString();
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<?>> sent = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    String buyer = i == 0 ? "ana" : "ben";
                    String orderId = "R" + round + "-" + i;
                    sent.add(pool.submit(() -> {
                        start.await();
                        return send(api, order("race-" + orderId, buyer, orderId, now, "50", List.of(code)));
                    }));
                }
                for (Future<?> f : sent) f.get();
                JsonNode c = api.admin().get().uri("/api/v1/coupons/codes/" + code).retrieve().body(JsonNode.class);
                assertThat(c.path("status").asString()).isEqualTo("redeemed");
                String winner = c.path("redemption").path("orderKey").asString();
                assertThat(winner).isIn("shopify/eu/R" + round + "-0", "shopify/eu/R" + round + "-1");
                assertThat(c.path("rejections")).hasSize(1);
                assertThat(c.path("rejections").get(0).path("reason").asString()).contains("already redeemed by order " + winner);
            }
            // straight at the service, many codes, two threads per code
            for (int round = 0; round < 20; round++) {
                String code = issue("race", Map.of("customerId", customers.get(1))).getBody().path("code").asString();
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<CouponService.OrderCoupon>> outcomes = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    String orderKey = "api//direct-" + round + "-" + i;
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        return coupons.redeemFromOrder(new CouponService.OrderInfo(orderKey, customers.get(1),
                                BigDecimal.TEN, "USD", BigDecimal.TEN, now, true), List.of(code)).get(0);
                    }));
                }
                List<String> results = new ArrayList<>();
                for (Future<CouponService.OrderCoupon> f : outcomes) results.add(f.get().outcome());
                assertThat(results).containsExactlyInAnyOrder("redeemed", "rejected");
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode stats = api.admin().get().uri("/api/v1/coupons/race/stats").retrieve().body(JsonNode.class);
        assertThat(stats.path("redeemed").asLong()).isEqualTo(25);
        assertThat(stats.path("rejections").asLong()).isEqualTo(25);
        assertThat(LoyaltyTestSupport.events(CouponRedeemed.class)).hasSize(25);
    }

    @Test
    void aSharedCodeKeepsItsPerCustomerAndTotalLimits() {
        define(Map.of("id", "summer", "kind", "percentage", "value", "15", "codeMode", "shared", "sharedCode", "Summer15",
                "perCustomerLimit", 1, "totalLimit", 3, "minOrder", "30", "currency", "USD"));
        send(api, order("s-1", "a1", "S1", now, "40", List.of("summer15")));
        send(api, order("s-2", "a1", "S2", now, "40", List.of("SUMMER15"))); // same customer: refused
        send(api, order("s-3", "a2", "S3", now, "20", List.of("SUMMER15"))); // below the minimum
        send(api, order("s-4", "a3", "S4", now, "40", List.of("SUMMER15")));
        send(api, order("s-5", "a4", "S5", now, "40", List.of("SUMMER15")));
        send(api, order("s-6", "a5", "S6", now, "40", List.of("SUMMER15"))); // fourth use: over the total
        send(api, order("s-4", "a3", "S4", now, "40", List.of("SUMMER15"))); // a replay changes nothing
        JsonNode code = api.admin().get().uri("/api/v1/coupons/codes/summer15").retrieve().body(JsonNode.class);
        assertThat(code.path("uses").asLong()).isEqualTo(3);
        List<String> reasons = new ArrayList<>();
        code.path("rejections").forEach(r -> reasons.add(r.path("reason").asString()));
        assertThat(reasons).hasSize(3);
        assertThat(reasons.get(0)).contains("per-customer limit");
        assertThat(reasons.get(1)).contains("below the minimum");
        assertThat(reasons.get(2)).contains("total limit");
        JsonNode stats = api.admin().get().uri("/api/v1/coupons/summer/stats").retrieve().body(JsonNode.class);
        assertThat(stats.path("redeemed").asLong()).isEqualTo(3);
        assertThat(new BigDecimal(stats.path("revenueBase").asString())).isEqualByComparingTo("120");
    }

    @Test
    void aCouponOrderIsAttributedToTheJourneyThatIssuedItAndCampaignsCanEarnMore() {
        String cid = send(api, order("seed", "joy", "J-0", now.minus(Duration.ofDays(10)), "5", null));
        // a journey step issues by value (no definition): the contract journeys and campaigns use
        CouponService.IssuedCoupon c = coupons.issue(new CouponService.IssueRequest(null, cid, "10%",
                now.plus(Duration.ofDays(7)), Attribution.journey("win-back", "inst-42", "send-offer"),
                "journey:win-back:inst-42:send-offer"));
        assertThat(c.definitionId()).isEqualTo("auto-journey-win-back");
        CouponService.IssuedCoupon retried = coupons.issue(new CouponService.IssueRequest(null, cid, "10%",
                now.plus(Duration.ofDays(7)), Attribution.journey("win-back", "inst-42", "send-offer"),
                "journey:win-back:inst-42:send-offer"));
        assertThat(retried.code()).isEqualTo(c.code());
        assertThat(retried.duplicate()).isTrue();

        send(api, order("j-1", "joy", "J-1", now, "64.90", List.of(c.code())));
        CouponRedeemed redeemed = LoyaltyTestSupport.events(CouponRedeemed.class).get(0);
        assertThat(redeemed.journeyId()).isEqualTo("win-back");
        assertThat(redeemed.journeyInstanceId()).isEqualTo("inst-42");
        assertThat(redeemed.stepId()).isEqualTo("send-offer");
        assertThat(redeemed.orderKey()).isEqualTo("shopify/eu/J-1");
        assertThat(redeemed.totalBase()).isEqualByComparingTo("64.90");
        JsonNode journey = api.admin().get().uri("/api/v1/coupons/attribution?journeyId=win-back").retrieve()
                .body(JsonNode.class);
        assertThat(journey.path("redeemed").asLong()).isEqualTo(1);
        assertThat(new BigDecimal(journey.path("revenueBase").asString())).isEqualByComparingTo("64.90");
        assertThat(api.admin().get().uri("/api/v1/coupons/attribution").retrieve().toBodilessEntity().getStatusCode()
                .value()).isEqualTo(400);

        // a campaign's codes earn double points once a marketer adds a row to the earn-rate table
        JsonNode table = as(api, "MARKETER").get().uri("/api/v1/rules/tables/loyalty/earn-rates.drl.csv").retrieve()
                .body(JsonNode.class);
        List<List<String>> rows = new ArrayList<>();
        table.path("rows").forEach(r -> {
            List<String> row = new ArrayList<>();
            r.forEach(x -> row.add(x.asString()));
            rows.add(row);
        });
        rows.add(List.of("", "", "singles-day", "", "", "", "2"));
        ResponseEntity<JsonNode> injected = as(api, "MARKETER").put()
                .uri("/api/v1/rules/tables/loyalty/earn-rates.drl.csv")
                .body(Map.of("rows", List.of(List.of("gold\") || true || (\"", "", "", "", "", "", "9")))).retrieve()
                .toEntity(JsonNode.class);
        assertThat(injected.getStatusCode().value()).isEqualTo(400);
        ResponseEntity<JsonNode> edited = as(api, "MARKETER").put().uri("/api/v1/rules/tables/loyalty/earn-rates.drl.csv")
                .body(Map.of("rows", rows, "comment", "double points for singles day")).retrieve().toEntity(JsonNode.class);
        assertThat(edited.getStatusCode().value()).as(String.valueOf(edited.getBody())).isEqualTo(200);
        CouponService.IssuedCoupon campaign = coupons.issue(new CouponService.IssueRequest(null, cid, "5.00", null,
                Attribution.campaign("singles-day"), "campaign:singles-day:" + cid));
        long before = LoyaltyTestSupport.balance(api, cid);
        send(api, order("j-2", "joy", "J-2", now, "30", List.of(campaign.code())));
        JsonNode points = LoyaltyTestSupport.points(api, cid);
        assertThat(points.path("balance").asLong() - before).isEqualTo(60);
        assertThat(points.path("history").get(0).path("detail").path("rules").toString()).contains("EarnRates");
    }

    @Test
    void ordersOutsideTheTermsAreRejectedWithTheirReason() {
        define(Map.of("id", "eur-5", "kind", "fixed", "value", "5", "currency", "EUR"));
        String cid = send(api, order("seed", "kim", "K-0", now.minus(Duration.ofDays(2)), "5", null));
        String code = issue("eur-5", Map.of("customerId", cid)).getBody().path("code").asString();
        send(api, order("k-1", "kim", "K-1", now, "50", List.of(code, "NOT-OURS")));
        JsonNode c = api.admin().get().uri("/api/v1/coupons/codes/" + code).retrieve().body(JsonNode.class);
        assertThat(c.path("status").asString()).isEqualTo("issued");
        assertThat(c.path("rejections").get(0).path("reason").asString())
                .isEqualTo("a EUR coupon cannot discount an order in USD");
        assertThat(api.admin().get().uri("/api/v1/coupons/codes/NOT-OURS").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(404);

        Map<String, Object> expired = new LinkedHashMap<>();
        expired.put("id", "flash");
        expired.put("kind", "percentage");
        expired.put("value", "50");
        expired.put("validTo", now.plus(Duration.ofHours(1)).toString());
        define(expired);
        String flash = issue("flash", Map.of("customerId", cid)).getBody().path("code").asString();
        send(api, order("k-2", "kim", "K-2", now.plus(Duration.ofHours(2)), "50", List.of(flash)));
        assertThat(api.admin().get().uri("/api/v1/coupons/codes/" + flash).retrieve().body(JsonNode.class)
                .path("rejections").get(0).path("reason").asString()).startsWith("expired at");
    }

    private ResponseEntity<JsonNode> define(Map<String, Object> body) {
        return api.admin().post().uri("/api/v1/coupons").contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(JsonNode.class);
    }

    private ResponseEntity<JsonNode> issue(String definition, Map<String, Object> body) {
        return api.admin().post().uri("/api/v1/coupons/" + definition + "/issue").contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().toEntity(JsonNode.class);
    }
}
