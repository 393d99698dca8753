package dev.caravan.workflow;

import static dev.caravan.test.Events.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.bson.Document;
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

    @Test
    void cartWithoutOrderGetsReminderAfterAnHourThenCouponAfterADay() {
        var ann = JourneyFixture.customer("ann@example.com");
        f.post(f.event("added_to_cart", ann, map("sku", "SKU-1", "quantity", 1)));
        String id = f.customerId("ann@example.com");
        assertThat(f.messenger.templatesFor(id)).isEmpty();

        f.travel(Duration.ofMinutes(59), Duration.ofMinutes(10));
        assertThat(f.messenger.templatesFor(id)).isEmpty();
        f.travel(Duration.ofMinutes(2), Duration.ofMinutes(1));
        assertThat(f.messenger.templatesFor(id)).containsExactly("cart-reminder");

        f.travel(Duration.ofHours(24));
        assertThat(f.messenger.templatesFor(id)).containsExactly("cart-reminder", "cart-coupon");
        var coupon = f.messenger.sent().get(1).params().get("couponCode");
        assertThat(coupon).asString().matches("[" + StoredCouponIssuer.ALPHABET + "]{10}");
        Document instance = f.instance(id, "abandoned-cart");
        assertThat(instance.getString("status")).isEqualTo("COMPLETED");
        assertThat(JourneyFixture.stepIds(instance)).containsExactly("start_cart", "wait_reminder", "send_reminder",
                "wait_coupon", "issue_coupon", "send_coupon", "end_done");
    }

    @Test
    void anOrderEndsTheCartJourneyAsConverted() {
        var bob = JourneyFixture.customer("bob@example.com");
        f.post(f.event("checkout_started", bob, map()));
        String id = f.customerId("bob@example.com");
        f.travel(Duration.ofMinutes(30), Duration.ofMinutes(10));
        f.post(f.order(bob, "B-1"));
        f.travel(Duration.ofDays(2));
        assertThat(f.messenger.templatesFor(id)).doesNotContain("cart-reminder", "cart-coupon");
        Document instance = f.instance(id, "abandoned-cart");
        assertThat(instance.getString("status")).isEqualTo("COMPLETED");
        assertThat(instance.getString("outcome")).isEqualTo("ordered");
        assertThat(f.store.mongo().getCollection(WorkStore.COLLECTION)
                .countDocuments(new Document("instanceId", instance.getString("_id")))).isZero();
    }
}
