package dev.caravan.loyalty;

import static dev.caravan.loyalty.LoyaltyTestSupport.as;
import static dev.caravan.loyalty.LoyaltyTestSupport.balance;
import static dev.caravan.loyalty.LoyaltyTestSupport.event;
import static dev.caravan.loyalty.LoyaltyTestSupport.order;
import static dev.caravan.loyalty.LoyaltyTestSupport.points;
import static dev.caravan.loyalty.LoyaltyTestSupport.refund;
import static dev.caravan.loyalty.LoyaltyTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.caravan.rules.RulesService;
import dev.caravan.test.CaravanTest;
import dev.caravan.test.Imports;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** Earning on orders, replays, refunds, cancellations, expiry, bonuses and adjustments through the running server. */
@CaravanTest
class LoyaltyPointsTest {

    @Autowired TestApi api;
    @Autowired TestStore store;
    @Autowired RulesService rules;
    @Autowired BenefitsService benefits;
    @Autowired ConfigurableApplicationContext context;

    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void reset() {
        LoyaltyTestSupport.reset(store, rules, benefits, context, api);
    }

    @Test
    void anOrderEarnsOnceHoweverOftenItIsReplayedOrReimported() {
        Instant at = now.minus(Duration.ofDays(2));
        String id = send(api, order("o-1", "ann", "1001", at, "120.50", null));
        assertThat(balance(api, id)).isEqualTo(120); // floor(120.50 x 1 point per USD x no level multiplier)

        // the same event again, the same order under another event id, and a status update
        send(api, order("o-1", "ann", "1001", at, "120.50", null));
        send(api, order("o-1-again", "ann", "1001", at, "120.50", null));
        send(api, event("o-1-paid", "order_paid", "ann", at.plusSeconds(60), Map.of("orderId", "1001")));
        // the order re-imported from a CSV file (history, not live), twice
        String csv = "platform,store_id,order_id,buyer_id,email,placed_at,currency,total\n"
                + "shopify,eu,1001,ann,ann@example.com," + at + ",USD,120.50\n";
        Imports imports = new Imports(api, api.admin());
        assertThat(imports.run("orders", "caravan", csv).path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(imports.run("orders", "caravan", csv).path("state").asString()).isEqualTo("SUCCEEDED");

        JsonNode p = points(api, id);
        assertThat(p.path("balance").asLong()).isEqualTo(120);
        assertThat(p.path("history")).hasSize(1);
        JsonNode earn = p.path("history").get(0);
        assertThat(earn.path("type").asString()).isEqualTo("earn");
        assertThat(earn.path("source").asString()).isEqualTo("order:shopify/eu/1001");
        assertThat(earn.path("detail").path("pointsPerUnit").asDouble()).isEqualTo(1.0);
        assertThat(earn.path("expiresAt").asString()).startsWith(at.atZone(java.time.ZoneOffset.UTC).plusMonths(12)
                .toInstant().toString().substring(0, 10));

        // imported history does not earn (caravan.loyalty.earn-imported-history=false)
        String other = "platform,store_id,order_id,buyer_id,email,placed_at,currency,total\n"
                + "shopify,eu,2002,bob,bob@example.com," + at + ",USD,80\n";
        imports.run("orders", "caravan", other);
        String bob = api.admin().get().uri("/api/v1/customers?q=bob@example.com").retrieve().body(JsonNode.class)
                .path("content").get(0).path("id").asString();
        assertThat(balance(api, bob)).isZero();
    }

    @Test
    void oneBatchOfOrdersEarnsPerOrderForNewAndExistingAccountsAndACancellationInTheSameBatchTakesItBack() {
        Instant at = now.minus(Duration.ofDays(3));
        String fay = send(api, order("b-0", "fay", "4000", at, "10", null));
        assertThat(balance(api, fay)).isEqualTo(10);

        // one request: two more orders of an existing account, two of a new customer, one placed and cancelled
        List<String> ids = send(api, List.of(
                order("b-1", "fay", "4001", at.plusSeconds(10), "20", null),
                order("b-2", "gus", "4002", at.plusSeconds(20), "30", null),
                order("b-3", "fay", "4003", at.plusSeconds(30), "40", null),
                order("b-4", "gus", "4004", at.plusSeconds(40), "50", null),
                order("b-5", "gus", "4005", at.plusSeconds(50), "60", null),
                event("b-6", "order_cancelled", "gus", at.plusSeconds(60), Map.of("orderId", "4005"))));
        String gus = ids.get(1);
        assertThat(balance(api, fay)).isEqualTo(10 + 20 + 40);
        assertThat(balance(api, gus)).isEqualTo(30 + 50);
        assertThat(points(api, gus).path("history")).hasSize(4); // three earns, one reversal

        // the same orders again in a later batch under new event ids: nothing more
        send(api, List.of(order("b-7", "fay", "4001", at.plusSeconds(10), "20", null),
                order("b-8", "gus", "4004", at.plusSeconds(40), "50", null)));
        assertThat(balance(api, fay)).isEqualTo(70);
        assertThat(balance(api, gus)).isEqualTo(80);
    }

    @Test
    void refundsTakeBackTheirShareAndPartialRefundsAddUpToTheWholeOrder() {
        Instant at = now.minus(Duration.ofDays(5));
        String id = send(api, order("o-2", "cy", "2001", at, "99.99", null));
        assertThat(balance(api, id)).isEqualTo(99);

        send(api, refund("r-1", "cy", "2001", at.plusSeconds(3600), "33.33"));
        assertThat(balance(api, id)).isEqualTo(99 - 33); // round(99 x 33.33 / 99.99) = 33
        send(api, refund("r-1", "cy", "2001", at.plusSeconds(3600), "33.33")); // replayed: nothing
        assertThat(balance(api, id)).isEqualTo(66);
        send(api, refund("r-2", "cy", "2001", at.plusSeconds(7200), "33.33"));
        assertThat(balance(api, id)).isEqualTo(33); // cumulative: round(99 x 66.66 / 99.99) = 66 back in all
        send(api, refund("r-3", "cy", "2001", at.plusSeconds(9000), "33.33"));
        assertThat(balance(api, id)).isZero();
        // a further refund (more than the order) takes nothing more
        send(api, refund("r-4", "cy", "2001", at.plusSeconds(9900), "10"));
        assertThat(balance(api, id)).isZero();

        // a refund without an amount is the whole order; a cancellation takes back what is left
        String dee = send(api, order("o-3", "dee", "3001", at, "50", null));
        send(api, order("o-4", "dee", "3002", at, "40", null));
        assertThat(balance(api, dee)).isEqualTo(90);
        send(api, refund("r-5", "dee", "3001", at.plusSeconds(60), null));
        assertThat(balance(api, dee)).isEqualTo(40);
        send(api, refund("r-6", "dee", "3002", at.plusSeconds(60), "10"));
        assertThat(balance(api, dee)).isEqualTo(30);
        send(api, event("c-1", "order_cancelled", "dee", at.plusSeconds(120), Map.of("orderId", "3002")));
        assertThat(balance(api, dee)).isZero();
        send(api, event("c-1b", "order_cancelled", "dee", at.plusSeconds(180), Map.of("orderId", "3002")));
        JsonNode p = points(api, dee);
        assertThat(p.path("balance").asLong()).isZero();
        assertThat(p.path("totals").path("reverse").asLong()).isEqualTo(-90);
    }

    @Test
    void pointsExpireFirstInFirstOutAndExpiringSoonIsReported() {
        // 13 months ago: expired already; 11 months and 20 days ago: expires within the 30-day window
        String id = send(api, order("old", "eve", "4001", now.minus(Duration.ofDays(400)), "30", null));
        send(api, order("mid", "eve", "4002", now.minus(Duration.ofDays(350)), "50", null));
        send(api, order("new", "eve", "4003", now.minus(Duration.ofDays(3)), "70", null));

        JsonNode p = points(api, id);
        assertThat(p.path("balance").asLong()).isEqualTo(120); // the 30 points of the oldest order expired
        assertThat(p.path("totals").path("expire").asLong()).isEqualTo(-30);
        assertThat(p.path("expiringSoon").path("points").asLong()).isEqualTo(50);
        assertThat(p.path("expiringSoon").path("lots")).hasSize(1);

        // spending takes the points that expire first: redeeming 40 leaves 10 of the 50 expiring soon
        createDefinition("ten-off", 40);
        ResponseEntity<JsonNode> r = api.admin().post().uri("/api/v1/customers/" + id + "/points/redeem")
                .body(Map.of("definitionId", "ten-off", "requestId", "req-1")).retrieve().toEntity(JsonNode.class);
        assertThat(r.getStatusCode().value()).isEqualTo(201);
        p = points(api, id);
        assertThat(p.path("balance").asLong()).isEqualTo(80);
        assertThat(p.path("expiringSoon").path("points").asLong()).isEqualTo(10);

        // the nightly job books nothing twice
        JsonNode expired = api.admin().post().uri("/api/v1/loyalty/expiry").retrieve().body(JsonNode.class);
        assertThat(expired.path("points").asLong()).isZero();
        assertThat(balance(api, id)).isEqualTo(80);
    }

    @Test
    void redemptionNeverOverdrawsAndARetryReturnsTheSameCoupon() {
        String id = send(api, order("o-5", "fay", "5001", now.minus(Duration.ofDays(1)), "100", null));
        createDefinition("voucher-60", 60);
        ResponseEntity<JsonNode> first = api.admin().post().uri("/api/v1/customers/" + id + "/points/redeem")
                .body(Map.of("definitionId", "voucher-60", "requestId", "abc")).retrieve().toEntity(JsonNode.class);
        assertThat(first.getStatusCode().value()).isEqualTo(201);
        String code = first.getBody().path("coupon").path("code").asString();
        assertThat(first.getBody().path("balance").asLong()).isEqualTo(40);
        ResponseEntity<JsonNode> retry = api.admin().post().uri("/api/v1/customers/" + id + "/points/redeem")
                .body(Map.of("definitionId", "voucher-60", "requestId", "abc")).retrieve().toEntity(JsonNode.class);
        assertThat(retry.getStatusCode().value()).isEqualTo(200);
        assertThat(retry.getBody().path("coupon").path("code").asString()).isEqualTo(code);
        ResponseEntity<JsonNode> broke = api.admin().post().uri("/api/v1/customers/" + id + "/points/redeem")
                .body(Map.of("definitionId", "voucher-60", "requestId", "def")).retrieve().toEntity(JsonNode.class);
        assertThat(broke.getStatusCode().value()).isEqualTo(409);
        assertThat(broke.getBody().path("detail").asString()).contains("insufficient points");
        assertThat(balance(api, id)).isEqualTo(40);

        JsonNode coupon = api.admin().get().uri("/api/v1/coupons/codes/" + code).retrieve().body(JsonNode.class);
        assertThat(coupon.path("customerId").asString()).isEqualTo(id);
        assertThat(coupon.path("attribution").path("source").asString()).isEqualTo("points");
        JsonNode view = api.admin().get().uri("/api/v1/customers/" + id).retrieve().body(JsonNode.class);
        assertThat(view.path("loyalty").path("points").path("balance").asLong()).isEqualTo(40);
        assertThat(view.path("loyalty").path("coupons").get(0).path("code").asString()).isEqualTo(code);

        // a refund of the order after the points were spent leaves a debt, paid off by the next order
        send(api, refund("r-fay", "fay", "5001", now, null));
        assertThat(balance(api, id)).isEqualTo(-60);
        send(api, order("o-6", "fay", "5002", now, "100", null));
        JsonNode p = points(api, id);
        assertThat(p.path("balance").asLong()).isEqualTo(40);
        assertThat(p.path("expiringSoon").path("points").asLong()).isZero();
    }

    @Test
    void bonusesAndAdjustmentsAreBookedOnceWithTheirReasonAndRoles() {
        String id = send(api, order("o-7", "gus", "7001", now.minus(Duration.ofDays(1)), "10", null));
        // a review earns the review bonus (rule parameter loyalty-bonus-review = 20), once
        Map<String, Object> review = event("rev-1", "review", "gus", now, Map.of("rating", 5, "text", "great"));
        send(api, review);
        send(api, review);
        assertThat(balance(api, id)).isEqualTo(30);
        // a sign-up naming gus as referrer earns gus the referral bonus (200)
        Map<String, Object> signUp = event("su-1", "signed_up", "hal", now, Map.of("referredBy", id));
        send(api, signUp);
        assertThat(balance(api, id)).isEqualTo(230);

        ResponseEntity<JsonNode> marketerAdjusts = as(api, "MARKETER").post()
                .uri("/api/v1/customers/" + id + "/points/adjustments")
                .body(Map.of("points", 50, "reason", "goodwill")).retrieve().toEntity(JsonNode.class);
        assertThat(marketerAdjusts.getStatusCode().value()).isEqualTo(403);
        ResponseEntity<JsonNode> noReason = as(api, "SUPPORT").post().uri("/api/v1/customers/" + id + "/points/adjustments")
                .body(Map.of("points", 50)).retrieve().toEntity(JsonNode.class);
        assertThat(noReason.getStatusCode().value()).isEqualTo(400);
        for (int i = 0; i < 2; i++) {
            ResponseEntity<JsonNode> ok = as(api, "SUPPORT").post().uri("/api/v1/customers/" + id + "/points/adjustments")
                    .body(Map.of("points", 50, "reason", "late delivery", "requestId", "ticket-9")).retrieve()
                    .toEntity(JsonNode.class);
            assertThat(ok.getStatusCode().value()).isEqualTo(i == 0 ? 201 : 200);
        }
        ResponseEntity<JsonNode> tooMuch = api.admin().post().uri("/api/v1/customers/" + id + "/points/adjustments")
                .body(Map.of("points", -1000, "reason", "fraud")).retrieve().toEntity(JsonNode.class);
        assertThat(tooMuch.getStatusCode().value()).isEqualTo(409);
        JsonNode p = points(api, id);
        assertThat(p.path("balance").asLong()).isEqualTo(280);
        JsonNode adjust = p.path("history").get(0);
        assertThat(adjust.path("reason").asString()).isEqualTo("late delivery");
        assertThat(adjust.path("actor").asString()).isEqualTo("support");

        ResponseEntity<JsonNode> bonus = as(api, "MARKETER").post().uri("/api/v1/customers/" + id + "/points/bonus")
                .body(Map.of("kind", "other", "sourceId", "survey-2026", "points", 15)).retrieve().toEntity(JsonNode.class);
        assertThat(bonus.getStatusCode().value()).isEqualTo(201);
        ResponseEntity<JsonNode> badKind = as(api, "MARKETER").post().uri("/api/v1/customers/" + id + "/points/bonus")
                .body(Map.of("kind", "lottery", "sourceId", "x")).retrieve().toEntity(JsonNode.class);
        assertThat(badKind.getStatusCode().value()).isEqualTo(400);
        assertThat(api.admin().get().uri("/api/v1/customers/nobody/points").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(404);

        List<String> kinds = new ArrayList<>();
        api.admin().get().uri("/api/v1/customers/" + id + "/timeline").retrieve().body(JsonNode.class)
                .forEach(e -> kinds.add(e.path("kind").asString()));
        assertThat(kinds).contains("points", "order");
    }

    private void createDefinition(String id, long pointsCost) {
        ResponseEntity<JsonNode> r = api.admin().post().uri("/api/v1/coupons").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("id", id, "kind", "fixed", "value", "10", "currency", "USD", "pointsCost", pointsCost,
                        "validDays", 30))
                .retrieve().toEntity(JsonNode.class);
        assertThat(r.getStatusCode().value()).as(String.valueOf(r.getBody())).isEqualTo(201);
    }
}
