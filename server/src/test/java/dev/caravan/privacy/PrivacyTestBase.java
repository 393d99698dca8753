package dev.caravan.privacy;

import static dev.caravan.test.Events.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.caravan.messaging.MessagingTestBase;
import dev.caravan.workflow.JourneyService;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/**
 * Privacy tests run in the messaging test server (real outbox, GreenMail, journeys sending through messaging), with
 * one person who has orders, events, a complaint, a cart and marketing consent.
 */
abstract class PrivacyTestBase extends MessagingTestBase {
    static final String EMAIL = "zephyrine.quistgaard@example.org";
    static final String PHONE = "+86 139 1234 5678";
    static final String PHONE_DIGITS = "13912345678";
    static final String FIRST = "Zephyrine";
    static final String LAST = "Quistgaard";

    /** 21:30 in Shanghai: marketing mail is held back by quiet hours until 08:00 local (00:00 UTC). */
    static final Instant EVENING = Instant.parse("2026-11-23T13:30:00Z");

    static Map<String, Object> person() {
        return map("email", EMAIL, "phone", PHONE, "firstName", FIRST, "lastName", LAST,
                "name", FIRST + " " + LAST, "country", "CN", "timezone", "Asia/Shanghai", "language", "en",
                "platform", "shopify", "storeId", "zq-shop.myshopify.com", "buyerId", "zq-1",
                "consents", map("email", true));
    }

    @Autowired
    JourneyService journeys;

    /** The store was emptied: deploy the packaged journeys again (as the journey tests' fixture does). */
    @BeforeEach
    void deployJourneys() throws Exception {
        var deploy = JourneyService.class.getDeclaredMethod("deployPackaged");
        deploy.setAccessible(true);
        deploy.invoke(journeys);
    }

    JsonNode post(Object events) {
        return api.admin().post().uri("/api/v1/events").body(events).retrieve().body(JsonNode.class);
    }

    String seedPerson() throws Exception {
        clock.setTo(EVENING.minus(Duration.ofDays(30)));
        post(List.of(
                map("eventId", "zq-o1", "type", "order_placed", "occurredAt", clock.instant().toString(),
                        "customer", person(), "properties", map("orderId", "ZQ-1", "total", "100.00", "currency", "EUR",
                                "lines", List.of(map("sku", "SKU-1", "quantity", 1, "unitPrice", "100.00")),
                                "note", "gift for " + FIRST + " " + LAST)),
                map("eventId", "bob-o1", "type", "order_placed", "occurredAt", clock.instant().toString(),
                        "customer", map("email", "bob@example.net"), "properties", map("orderId", "B-1",
                                "total", "40.00", "currency", "EUR"))));
        clock.setTo(EVENING);
        JsonNode r = post(List.of(
                map("eventId", "zq-o2", "type", "order_placed", "occurredAt", clock.instant().minusSeconds(60).toString(),
                        "customer", person(), "properties", map("orderId", "ZQ-2", "total", "50.00", "currency", "EUR")),
                map("eventId", "zq-c1", "type", "complaint", "occurredAt", clock.instant().minusSeconds(30).toString(),
                        "customer", map("email", EMAIL), "properties", map("text",
                                "This is " + FIRST + " " + LAST + ", call me on " + PHONE + " or write to " + EMAIL)),
                map("eventId", "zq-v1", "type", "added_to_cart", "occurredAt", clock.instant().toString(),
                        "customer", map("email", EMAIL), "properties", map("sku", "SKU-2", "quantity", 1,
                                "contact", EMAIL))));
        assertThat(r.path("accepted").asInt()).as("%s", r).isEqualTo(3);
        return r.path("results").get(0).path("customerId").asString();
    }


    void consent(String id, boolean granted, String source) {
        consent(id, granted, source, null);
    }

    void consent(String id, boolean granted, String source, String evidence) {
        var r = api.admin().put().uri("/api/v1/customers/{id}/consents/email", id)
                .body(map("granted", granted, "source", source, "evidence", evidence)).retrieve().toBodilessEntity();
        assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    long running(String id) {
        return store.mongo().getCollection("journey_instances").countDocuments(new Document("customerId", id)
                .append("status", "ACTIVE"));
    }
}
