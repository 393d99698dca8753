package dev.caravan.workflow;

import static dev.caravan.test.Events.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

@JourneyTest
@Import(JourneyFixture.class)
class AbandonedCartJourneyTest {

    @Autowired
    JourneyFixture f;

    @BeforeEach
    void reset() {
        f.reset();
    }

    @AfterEach
    void everySendRendersCompletely() {
        f.assertSendsRenderCompletely();
    }

    @Test
    @SuppressWarnings("unchecked")
    void cartWithoutOrderGetsReminderAfterAnHourThenCouponAfterADay() {
        var ann = JourneyFixture.customer("ann@example.com");
        f.post(f.event("added_to_cart", ann, map("sku", "SKU-1", "title", "Desk lamp", "quantity", 1,
                "cartUrl", "https://shop.test/cart/ann")));
        String id = f.customerId("ann@example.com");
        assertThat(f.messenger.templatesFor(id)).isEmpty();

        f.travel(Duration.ofMinutes(59), Duration.ofMinutes(10));
        assertThat(f.messenger.templatesFor(id)).isEmpty();
        f.travel(Duration.ofMinutes(2), Duration.ofMinutes(1));
        assertThat(f.messenger.templatesFor(id)).containsExactly("abandoned_cart");
        var reminder = f.messenger.sent().get(0);
        assertThat(reminder.params()).doesNotContainKey("coupon").containsEntry("cartUrl", "https://shop.test/cart/ann")
                .containsEntry("products", List.of(Map.of("name", "Desk lamp", "sku", "SKU-1")));
        assertThat(reminder.stepId()).isEqualTo("send_reminder");

        // the coupon follows a day after the reminder: just over the default frequency cap of one per 24 hours
        f.travel(Duration.ofHours(24));
        assertThat(f.messenger.templatesFor(id)).containsExactly("abandoned_cart");
        f.travel(Duration.ofMinutes(10), Duration.ofMinutes(1));
        assertThat(f.messenger.templatesFor(id)).containsExactly("abandoned_cart", "abandoned_cart");
        Map<String, Object> coupon = (Map<String, Object>) f.messenger.sent().get(1).params().get("coupon");
        // a loyalty coupon: redeemable from orders and credited to this journey's step
        var issued = f.api.admin().get().uri("/api/v1/coupons/codes/{c}", coupon.get("code")).retrieve()
                .body(tools.jackson.databind.JsonNode.class);
        assertThat(issued.get("attribution").get("journeyId").asString()).isEqualTo("abandoned-cart");
        assertThat(issued.get("attribution").get("stepId").asString()).isEqualTo("issue_coupon");
        assertThat(issued.get("status").asString()).isEqualTo("issued");
        // 10 % valid 3 days, written for the template's language (the customer's: de)
        assertThat(coupon).containsEntry("discount", "10%").containsEntry("value", "10%").containsKey("expiresAt");
        Document instance = f.instance(id, "abandoned-cart");
        assertThat(instance.getString("status")).isEqualTo("COMPLETED");
        assertThat(JourneyFixture.stepIds(instance)).containsExactly("start_cart", "wait_reminder", "send_reminder",
                "wait_coupon", "issue_coupon", "send_coupon", "end_done");
    }

    @Test
    void anOrderHandledInTheSamePollAsTheCheckoutEndsTheJourneyItStarted() {
        // both triggers wait in one claimed batch: the order must see the instance the checkout started just before
        // (the batch's participations are read once, and the start's write must drop that read)
        var cy = JourneyFixture.customer("cy@example.com");
        f.post(f.event("signed_up", cy, map()));
        String id = f.customerId("cy@example.com");
        // a participation document exists before the batch (as for any customer who was in a journey before)
        f.store.mongo().getCollection(Participations.COLLECTION).updateOne(new Document("_id", id),
                new Document("$setOnInsert", new Document("rev", 0L).append("running", new Document())
                        .append("ended", new Document()).append("instances", java.util.List.of())),
                new com.mongodb.client.model.UpdateOptions().upsert(true));
        f.postOnly(f.event("checkout_started", cy, map()));
        f.clock.advance(Duration.ofSeconds(1));
        f.postOnly(f.order(cy, "C-1"));
        f.travel(Duration.ofDays(2));
        assertThat(f.messenger.templatesFor(id)).doesNotContain("abandoned_cart");
        Document instance = f.instance(id, "abandoned-cart");
        assertThat(instance.getString("status")).isEqualTo("COMPLETED");
        assertThat(instance.getString("outcome")).isEqualTo("ordered");
        // and the order entered the repurchase journey: its slot was claimed on the stored participation, not on
        // the batch's read from before the checkout's claim
        assertThat(f.instance(id, "repurchase").getString("trigger")).isNotNull();
    }

    @Test
    void anOrderEndsTheCartJourneyAsConverted() {
        var bob = JourneyFixture.customer("bob@example.com");
        f.post(f.event("checkout_started", bob, map()));
        String id = f.customerId("bob@example.com");
        f.travel(Duration.ofMinutes(30), Duration.ofMinutes(10));
        f.post(f.order(bob, "B-1"));
        f.travel(Duration.ofDays(2));
        assertThat(f.messenger.templatesFor(id)).doesNotContain("abandoned_cart");
        Document instance = f.instance(id, "abandoned-cart");
        assertThat(instance.getString("status")).isEqualTo("COMPLETED");
        assertThat(instance.getString("outcome")).isEqualTo("ordered");
        assertThat(f.store.mongo().getCollection(WorkStore.COLLECTION)
                .countDocuments(new Document("instanceId", instance.getString("_id")))).isZero();
    }
}
