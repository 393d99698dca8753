package dev.caravan.privacy;

import static dev.caravan.test.Events.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.icegreen.greenmail.util.GreenMail;
import dev.caravan.messaging.MessagingTestBase;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import org.bson.Document;
import org.bson.types.Decimal128;
import dev.caravan.workflow.JourneyService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * The erasure test of issue 8: a customer with orders, events, running journeys, queued messages and a consent history
 * is erased; afterwards no collection of the raw store holds their e-mail, phone or name, the journeys are gone,
 * nothing is sent, and revenue aggregates still add up. Runs in the messaging test server (real outbox, GreenMail,
 * journeys on the real messenger).
 */
class ErasureTest extends PrivacyTestBase {

    @Test
    void anErasedCustomerLeavesNoTraceAnywhereNothingIsSentAndRevenueStillAddsUp() throws Exception {
        String id = seedPerson();
        // consent history: withdrawn on the phone, granted again through a form
        consent(id, false, "support call");
        consent(id, true, "double opt-in form 2026-11-23", "confirmation DOI-4711");
        // a queued (deferred) marketing message
        JsonNode queued = send(request(id, "email", "birthday", null, "zq-birthday", Map.of("firstName", FIRST)));
        assertThat(queued.path("status").asString()).isEqualTo("deferred");
        // running journeys: the abandoned cart (reminder in 1 h) and the complaint follow-up (in 2 days)
        await(() -> running(id) >= 2, Duration.ofSeconds(20), "journeys to start");
        assertThat(store.mongo().getCollection("journey_work").countDocuments(new Document("customerId", id))).isPositive();

        // the profile shows the consent ledger (append-only, with source and actor) and the timeline its entries
        JsonNode view = api.admin().get().uri("/api/v1/customers/{id}", id).retrieve().body(JsonNode.class);
        JsonNode ledger = view.path("messaging").path("consentLedger");
        assertThat(ledger).hasSize(3);
        assertThat(ledger.get(0).path("source").asString()).isEqualTo("double opt-in form 2026-11-23");
        assertThat(ledger.get(0).path("actor").asString()).isEqualTo("admin");
        assertThat(ledger.get(0).path("evidence").asString()).isEqualTo("confirmation DOI-4711");
        assertThat(ledger.get(0).path("purpose").asString()).isEqualTo("marketing");
        assertThat(ledger.get(0).path("channel").asString()).isEqualTo("email");
        assertThat(ledger.get(0).path("at").isMissingNode()).isFalse();
        assertThat(ledger.get(1).path("granted").asBoolean()).isFalse();
        assertThat(ledger.get(2).path("source").asString()).isEqualTo("event:zq-o1");
        JsonNode timeline = api.admin().get().uri("/api/v1/customers/{id}/timeline", id).retrieve().body(JsonNode.class);
        assertThat(timeline.findValuesAsString("kind")).contains("consent", "order");

        // messages the journeys sent at once (complaint acknowledgement) finish first: a message already handed to
        // the SMTP server when the erasure runs cannot be called back (documented), so the test does not race one
        await(() -> store.mongo().getCollection("messages").countDocuments(new Document("customerId", id)
                .append("status", new Document("$in", List.of("QUEUED", "SENDING")))) == 0,
                Duration.ofSeconds(20), "immediate journey messages to be sent");
        Revenue before = revenue();
        Set<String> sentBefore = sentMessageIds(id);
        int mailsBefore = mailsTo(EMAIL);

        ResponseEntity<JsonNode> erased = api.admin().delete().uri("/api/v1/customers/{id}", id).retrieve()
                .toEntity(JsonNode.class);
        assertThat(erased.getStatusCode()).isEqualTo(HttpStatus.OK);
        JsonNode report = erased.getBody();
        assertThat(report.path("status").asString()).isEqualTo("completed");
        assertThat(report.path("sections").path("journeys").path("counts").path("journeysCancelled").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(report.path("sections").path("messaging").path("counts").path("messagesCancelled").asLong()).isPositive();
        assertThat(report.path("sections").path("messaging").path("counts").path("consentLedgerDeleted").asLong()).isEqualTo(3);
        assertThat(report.path("sections").path("orders").path("counts").path("ordersAnonymised").asLong()).isEqualTo(2);
        assertThat(report.path("sections").path("profile").path("counts").path("profileAnonymised").asLong()).isEqualTo(1);
        assertThat(report.path("tombstones").asLong()).isGreaterThanOrEqualTo(3);

        // no collection holds the e-mail, the phone or the name
        assertThat(RawStoreScan.documents(store.mongo())).isGreaterThan(10);
        assertThat(RawStoreScan.find(store.mongo(), EMAIL, PHONE_DIGITS, FIRST, LAST)).isEmpty();
        // the erasure is in the audit log (who, what), without contact data
        JsonNode audit = api.admin().get().uri("/api/v1/audit?action=customer.erase").retrieve().body(JsonNode.class);
        assertThat(audit.get("content")).as("%s", audit).anyMatch(e -> e.get("target").asString().equals("customer:" + id)
                && e.get("actor").asString().equals("admin") && e.get("outcome").asString().equals("success"));
        // the journeys are gone, with their timers
        assertThat(store.mongo().getCollection("journey_instances").countDocuments(new Document("customerId", id))).isZero();
        assertThat(store.mongo().getCollection("journey_work").countDocuments(new Document("customerId", id))).isZero();
        // revenue aggregates add up: every order still counts, under the anonymous id
        assertThat(revenue()).isEqualTo(before);

        // time passes beyond the deferred message, the cart reminder and the complaint follow-up: nothing goes out
        clock.setTo(Instant.parse("2026-11-26T02:00:00Z"));
        Thread.sleep(2500);
        assertThat(sentMessageIds(id)).isEqualTo(sentBefore);
        assertThat(mailsTo(EMAIL)).isEqualTo(mailsBefore);
        assertThat(message(queued.path("messageId").asString()).path("status").asString()).isEqualTo("suppressed");
        assertThat(store.mongo().getCollection("messages").countDocuments(new Document("customerId", id)
                .append("pending", true))).isZero();
        assertThat(running(id)).isZero();
        assertThat(RawStoreScan.find(store.mongo(), EMAIL, PHONE_DIGITS, FIRST, LAST)).isEmpty();

        // idempotent: a second erasure answers the same report and changes nothing
        JsonNode again = api.admin().delete().uri("/api/v1/customers/{id}", id).retrieve().body(JsonNode.class);
        assertThat(Instant.parse(again.path("requestedAt").asString()).toEpochMilli())
                .isEqualTo(Instant.parse(report.path("requestedAt").asString()).toEpochMilli());
        assertThat(again.path("sections")).isEqualTo(report.path("sections"));
        assertThat(revenue()).isEqualTo(before);
        // the profile is an anonymous stub; the stored report is readable
        JsonNode stub = api.admin().get().uri("/api/v1/customers/{id}", id).retrieve().body(JsonNode.class);
        assertThat(stub.path("customer").path("emails")).isEmpty();
        assertThat(stub.path("customer").path("metrics").path("orderCount").asLong()).isEqualTo(2);
        assertThat(api.admin().get().uri("/api/v1/customers/{id}/erasure", id).retrieve().body(JsonNode.class)
                .path("status").asString()).isEqualTo("completed");
    }

    @Test
    void erasureAndExportNeedAdmin() {
        clock.setTo(EVENING);
        customer("c-roles", "roles@example.com", null, "UTC", "en", Map.of());
        createUser("marketer-dsr", "MARKETER");
        var marketer = api.as("marketer-dsr", "marketer-password-1");
        assertThat(marketer.delete().uri("/api/v1/customers/c-roles").retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(marketer.get().uri("/api/v1/customers/c-roles/data-export").retrieve().toBodilessEntity()
                .getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(api.admin().delete().uri("/api/v1/customers/nobody").retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(api.admin().get().uri("/api/v1/customers/nobody/data-export").retrieve().toBodilessEntity()
                .getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    private void createUser(String name, String role) {
        api.admin().post().uri("/api/v1/users").body(map("username", name, "password", "marketer-password-1",
                "roles", List.of(role))).retrieve().toBodilessEntity();
    }

    private Set<String> sentMessageIds(String id) {
        Set<String> out = new TreeSet<>();
        store.mongo().getCollection("messages").find(new Document("customerId", id)
                .append("status", new Document("$in", List.of("SENDING", "SENT", "DELIVERED", "READ"))))
                .forEach(d -> out.add(d.getString("_id")));
        return out;
    }

    /** Order count and revenue in the base currency from the raw orders, purchase histories and profiles. */
    record Revenue(long orders, BigDecimal orderTotal, BigDecimal historyTotal, BigDecimal profileTotal) {
    }

    private Revenue revenue() {
        long n = 0;
        BigDecimal orders = BigDecimal.ZERO;
        for (Document d : store.mongo().getCollection("orders").find()) {
            n++;
            orders = orders.add(((Decimal128) d.get("totalBase")).bigDecimalValue());
        }
        BigDecimal histories = BigDecimal.ZERO;
        for (Document h : store.mongo().getCollection("purchase_histories").find()) {
            for (Document p : h.getList("purchases", Document.class)) {
                histories = histories.add(((Decimal128) p.get("totalBase")).bigDecimalValue());
            }
        }
        BigDecimal profiles = BigDecimal.ZERO;
        for (Document c : store.mongo().getCollection("customers").find()) {
            Document m = c.get("metrics", Document.class);
            if (m != null && m.get("totalSpend") != null) {
                profiles = profiles.add(((Decimal128) m.get("totalSpend")).bigDecimalValue());
            }
        }
        return new Revenue(n, orders.stripTrailingZeros(), histories.stripTrailingZeros(), profiles.stripTrailingZeros());
    }

    private static int mailsTo(String address) throws Exception {
        GreenMail mail = (GreenMail) field("MAIL");
        int n = 0;
        for (MimeMessage m : mail.getReceivedMessages()) {
            List<String> to = new ArrayList<>();
            Address[] all = m.getAllRecipients();
            if (all != null) for (Address a : all) to.add(a.toString().toLowerCase());
            if (to.stream().anyMatch(t -> t.contains(address))) n++;
        }
        return n;
    }

    private static Object field(String name) throws Exception {
        var f = MessagingTestBase.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(null);
    }
}
