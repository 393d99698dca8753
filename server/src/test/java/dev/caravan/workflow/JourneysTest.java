package dev.caravan.workflow;

import static dev.caravan.test.Events.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/** Each shipped journey end to end: events in, the real engine, time travel, messages out. */
@JourneyTest
@Import(JourneyFixture.class)
class JourneysTest {

    @Autowired
    JourneyFixture f;
    @Autowired
    JourneyScans scans;

    @BeforeEach
    void reset() {
        f.reset();
    }

    @AfterEach
    void everySendRendersCompletely() {
        f.assertSendsRenderCompletely();
    }

    private void trigger(String customerId, String type, Map<String, Object> payload) {
        f.runtime.enqueue(new JourneyTrigger(null, customerId, type, payload, f.clock.instant(), true));
        f.runtime.runDue();
    }

    private void setTier(String customerId, String tier) {
        f.store.mongo().getCollection("customers").updateOne(new Document("_id", customerId),
                new Document("$set", new Document("tier", tier)));
    }

    @Test
    void welcomeSendsWelcomeTipsAndCouponWhenNoSecondOrder() {
        var c = JourneyFixture.customer("w1@example.com");
        f.post(f.event("signed_up", c, map()));
        String id = f.customerId("w1@example.com");
        assertThat(f.messenger.templatesFor(id)).hasSize(1).first().asString().isIn("welcome", "welcome_b");
        Document wi = f.instance(id, "welcome");
        String variant = wi.getList("steps", Document.class).stream().filter(s -> "ab".equals(s.getString("nodeId")))
                .findFirst().orElseThrow().get("detail", Document.class).getString("variant");
        assertThat(f.messenger.templatesFor(id).get(0)).isEqualTo("A".equals(variant) ? "welcome" : "welcome_b");
        assertThat(f.messenger.sent().get(0).params()).containsEntry("variant", variant);
        f.travel(Duration.ofDays(8), Duration.ofHours(6));
        assertThat(f.messenger.templatesFor(id)).containsSubsequence("welcome_tips", "first_repurchase");
        var coupon = f.messenger.sent().stream().filter(m -> m.template().equals("first_repurchase")).findFirst()
                .orElseThrow().params().get("coupon");
        assertThat(coupon).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsKeys("code", "discount", "expiresAt");
        Document done = f.instance(id, "welcome");
        assertThat(done.getString("status")).isEqualTo("COMPLETED");
        assertThat(JourneyFixture.stepIds(done)).contains("issue_coupon", "send_coupon");
        // tips at 10:00 Berlin time three days later
        Instant tips = done.getList("steps", Document.class).stream().filter(s -> "send_tips".equals(s.getString("nodeId")))
                .findFirst().orElseThrow().getDate("at").toInstant();
        assertThat(tips.atZone(java.time.ZoneId.of("Europe/Berlin")).getHour()).isEqualTo(10);
    }

    @Test
    void welcomeSkipsTheCouponWhenTheCustomerOrderedAgain() {
        var c = JourneyFixture.customer("w2@example.com");
        f.post(f.order(c, "W2-1"));
        String id = f.customerId("w2@example.com");
        f.travel(Duration.ofDays(4), Duration.ofHours(6));
        f.post(f.order(c, "W2-2"));
        f.travel(Duration.ofDays(4), Duration.ofHours(6));
        assertThat(f.messenger.templatesFor(id)).contains("welcome_tips").doesNotContain("first_repurchase");
        assertThat(f.instance(id, "welcome").getString("outcome")).isEqualTo("repurchased");
    }

    @Test
    void welcomeIgnoresRepeatCustomers() {
        var c = JourneyFixture.customer("w3@example.com");
        f.post(f.order(c, "W3-1"));
        String id = f.customerId("w3@example.com");
        f.runtime.cancel(f.instance(id, "welcome").getString("_id"), "test");
        f.store.mongo().getCollection(Participations.COLLECTION).updateOne(new Document("_id", id),
                new Document("$unset", new Document("ended.welcome", "")));
        f.messenger.reset();
        f.clock.advance(Duration.ofMinutes(5));
        f.post(f.order(c, "W3-2"));
        assertThat(f.messenger.templatesFor(id)).noneMatch(t -> t.startsWith("welcome"));
        assertThat(f.instance(id, "welcome").getString("outcome")).isEqualTo("Not a first order");
    }

    @Test
    void winBackWithoutOrderGetsCouponByTierThenTaggedLost() {
        var c = JourneyFixture.customer("wb1@example.com");
        f.post(f.event("page_viewed", c, map("url", "/")));
        String id = f.customerId("wb1@example.com");
        setTier(id, "core");
        trigger(id, "churn_risk_detected", Map.of("reason", "frequency-drop"));
        assertThat(f.messenger.templatesFor(id)).containsExactly("win_back");
        assertThat(f.messenger.sent().get(0).params()).doesNotContainKey("coupon");
        f.travel(Duration.ofDays(8), Duration.ofHours(6));
        assertThat(f.messenger.templatesFor(id)).containsExactly("win_back", "win_back");
        assertThat(f.messenger.sent().get(1).params().get("coupon")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("discount", "20%");
        assertThat(JourneyFixture.stepIds(f.instance(id, "win-back"))).contains("coupon_core").doesNotContain("coupon_other");
        f.travel(Duration.ofDays(15), Duration.ofHours(12));
        Document instance = f.instance(id, "win-back");
        assertThat(instance.getString("outcome")).isEqualTo("Lost");
        Document customer = f.store.mongo().getCollection("customers").find(new Document("_id", id)).first();
        assertThat(customer.getList("tags", String.class)).contains("lost");
    }

    @Test
    void anOrderCancelsTheCartAndWinBackJourneysOfThatCustomerOnly() {
        var a = JourneyFixture.customer("o1@example.com");
        var b = JourneyFixture.customer("o2@example.com");
        f.post(f.event("page_viewed", a, map("url", "/")), f.event("page_viewed", b, map("url", "/")));
        String ida = f.customerId("o1@example.com");
        String idb = f.customerId("o2@example.com");
        trigger(ida, "churn_risk_detected", Map.of());
        trigger(idb, "churn_risk_detected", Map.of());
        f.post(f.event("added_to_cart", a, map("sku", "S1", "quantity", 1)), f.event("added_to_cart", b, map("sku", "S1", "quantity", 1)));
        f.travel(Duration.ofMinutes(30), Duration.ofMinutes(10));
        f.post(f.order(a, "O1-1"));
        assertThat(f.instance(ida, "win-back").getString("outcome")).isEqualTo("ordered");
        assertThat(f.instance(ida, "abandoned-cart").getString("outcome")).isEqualTo("ordered");
        assertThat(f.instance(idb, "win-back").getString("status")).isEqualTo("ACTIVE");
        assertThat(f.instance(idb, "abandoned-cart").getString("status")).isEqualTo("ACTIVE");
        f.travel(Duration.ofDays(8), Duration.ofHours(6));
        assertThat(f.messenger.sent()).filteredOn(m -> m.customerId().equals(ida)).extracting(m -> m.stepId())
                .doesNotContain("send_reminder", "send_coupon");
        assertThat(f.messenger.sent()).filteredOn(m -> m.customerId().equals(idb))
                .extracting(m -> m.journeyId() + ":" + m.stepId())
                .contains("abandoned-cart:send_reminder", "abandoned-cart:send_coupon", "win-back:send_coupon");
    }

    @Test
    void vipThankYouOnlyForUpgrades() {
        var c = JourneyFixture.customer("v1@example.com");
        f.post(f.event("page_viewed", c, map("url", "/")));
        String id = f.customerId("v1@example.com");
        trigger(id, "tier_changed", Map.of("from", "base", "to", "growth"));
        f.travel(Duration.ofDays(1));
        assertThat(f.messenger.templatesFor(id)).doesNotContain("vip_upgrade");
        assertThat(f.instance(id, "vip-upgrade").getString("outcome")).isEqualTo("Not an upgrade");
        trigger(id, "tier_changed", Map.of("from", "growth", "to", "core"));
        f.travel(Duration.ofDays(1));
        assertThat(f.messenger.templatesFor(id)).containsOnlyOnce("vip_upgrade");
        assertThat(f.messenger.sent().get(0).params()).containsEntry("tier", "VIP");
        var d = JourneyFixture.customer("v2@example.com");
        f.post(f.event("page_viewed", d, map("url", "/")));
        String id2 = f.customerId("v2@example.com");
        trigger(id2, "membership_changed", Map.of("from", "silver", "to", "gold", "upward", true));
        f.travel(Duration.ofDays(1));
        assertThat(f.messenger.templatesFor(id2)).containsExactly("vip_upgrade");
        assertThat(f.messenger.sent().get(1).params()).containsEntry("tier", "Gold");
    }

    @Test
    void reviewRequestThreeDaysAfterDeliveryUnlessRefunded() {
        var c = JourneyFixture.customer("r1@example.com");
        f.post(f.order(c, "R1-1"));
        String id = f.customerId("r1@example.com");
        f.post(f.event("order_delivered", c, map("orderId", "R1-1")));
        f.travel(Duration.ofDays(4), Duration.ofHours(6));
        assertThat(f.messenger.templatesFor(id)).containsOnlyOnce("review_request");
        // the order the review is about: its number and its lines
        var review = f.messenger.sent().stream().filter(m -> m.template().equals("review_request")).findFirst().orElseThrow();
        assertThat(review.params().get("order")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("id", "R1-1");
        assertThat(review.params()).containsKey("products");

        var d = JourneyFixture.customer("r2@example.com");
        f.post(f.order(d, "R2-1"));
        String id2 = f.customerId("r2@example.com");
        f.post(f.event("order_delivered", d, map("orderId", "R2-1")));
        f.travel(Duration.ofDays(1), Duration.ofHours(6));
        f.post(f.event("order_refunded", d, map("orderId", "R2-1", "amount", "49.90", "currency", "EUR")));
        f.travel(Duration.ofDays(4), Duration.ofHours(6));
        assertThat(f.messenger.templatesFor(id2)).doesNotContain("review_request");
        assertThat(f.instance(id2, "review-request").getString("outcome")).isEqualTo("Refunded");
    }

    @Test
    void complaintGetsAcknowledgementAndFollowUp() {
        var c = JourneyFixture.customer("c1@example.com");
        f.post(f.event("complaint", c, map("text", "Parcel arrived broken", "orderId", "C1-7")));
        String id = f.customerId("c1@example.com");
        assertThat(f.messenger.templatesFor(id)).containsExactly("complaint_acknowledgement");
        assertThat(f.messenger.sent().get(0).params().get("order")).isEqualTo(Map.of("id", "C1-7"));
        f.travel(Duration.ofDays(3), Duration.ofHours(6));
        assertThat(f.messenger.templatesFor(id)).containsExactly("complaint_acknowledgement", "complaint_follow_up");
    }

    @Test
    void repurchaseReminderAfterTheCustomersOwnRhythm() {
        var c = JourneyFixture.customer("p1@example.com");
        f.post(f.order(c, "P1-1"));
        f.travel(Duration.ofDays(10), Duration.ofDays(1));
        f.post(f.order(c, "P1-2"));
        String id = f.customerId("p1@example.com");
        f.travel(Duration.ofDays(9), Duration.ofHours(12));
        assertThat(f.messenger.templatesFor(id)).doesNotContain("repurchase_reminder");
        f.travel(Duration.ofDays(2), Duration.ofHours(12));
        assertThat(f.messenger.templatesFor(id)).containsOnlyOnce("repurchase_reminder");
    }

    @Test
    void birthdayAndHolidayScansStartTheirJourneysOnce() {
        // 2026-12-25 08:00 UTC = 09:00 in Berlin: Christmas in DE, and the customer's birthday
        f.clock.set(Instant.parse("2026-12-25T07:30:00Z"));
        var c = JourneyFixture.customer("h1@example.com", "birthday", "1990-12-25");
        f.post(f.event("page_viewed", c, map("url", "/")));
        String id = f.customerId("h1@example.com");
        assertThat(scans.scan()).isEqualTo(2);
        assertThat(scans.scan()).isZero();
        f.runtime.runDue();
        f.travel(Duration.ofHours(3), Duration.ofMinutes(30));
        assertThat(f.messenger.templatesFor(id)).contains("holiday_greeting", "birthday");
        var greeting = f.messenger.sent().stream().filter(m -> m.template().equals("holiday_greeting")).findFirst().orElseThrow();
        assertThat(greeting.language()).isEqualTo("de");
        assertThat(greeting.params()).containsKey("coupon").containsEntry("holiday", "Christmas")
                .containsEntry("holidayId", "christmas-2026").doesNotContainKey("salesEvent");
    }

    @Test
    void nonLiveEventsStartNothing() {
        f.runtime.enqueue(new JourneyTrigger("x", "nobody", "added_to_cart", Map.of(), f.clock.instant(), false));
        assertThat(f.store.mongo().getCollection(WorkStore.COLLECTION).countDocuments()).isZero();
    }

    @Test
    void atMostOneRunningInstancePerCustomerAndJourneyAndCooldown() {
        var c = JourneyFixture.customer("m1@example.com");
        f.post(f.event("added_to_cart", c, map("sku", "S1", "quantity", 1)));
        f.post(f.event("added_to_cart", c, map("sku", "S2", "quantity", 1)));
        String id = f.customerId("m1@example.com");
        assertThat(f.instances(id).stream().filter(d -> "abandoned-cart".equals(d.getString("journeyId")))).hasSize(1);
        f.travel(Duration.ofHours(36));
        f.post(f.event("added_to_cart", c, map("sku", "S3", "quantity", 1)));
        // the cart journey ended 10 hours ago (reminder after 1 h, coupon 24 h 5 min later): within its 24-hour cool-down
        List<Document> carts = f.instances(id).stream().filter(d -> "abandoned-cart".equals(d.getString("journeyId"))).toList();
        assertThat(carts).hasSize(1);
        List<String> explanation = f.api.admin().get().uri("/api/v1/customers/" + id + "/journeys/trace?journey=abandoned-cart")
                .retrieve().body(tools.jackson.databind.JsonNode.class).get("explanation").valueStream()
                .map(tools.jackson.databind.JsonNode::asString).toList();
        assertThat(explanation).anyMatch(s -> s.contains("cool-down"));
        f.travel(Duration.ofHours(15));
        f.post(f.event("added_to_cart", c, map("sku", "S4", "quantity", 1)));
        assertThat(f.instances(id).stream().filter(d -> "abandoned-cart".equals(d.getString("journeyId")))).hasSize(2);
    }
}
