package dev.caravan.privacy;

import static dev.caravan.test.Events.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.caravan.test.Imports;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** Export, tombstones against re-creation, the returning customer, and retention. */
class DataRightsTest extends PrivacyTestBase {

    @Autowired
    DataRightsService rights;

    @Test
    void theExportHoldsEverySectionOfEveryFeature() throws Exception {
        String id = seedPerson();
        consent(id, false, "support call");
        send(request(id, "email", "birthday", null, "ex-birthday", Map.of()));
        await(() -> running(id) >= 2, Duration.ofSeconds(20), "journeys to start");

        ResponseEntity<JsonNode> r = api.admin().get().uri("/api/v1/customers/{id}/data-export", id).retrieve()
                .toEntity(JsonNode.class);

        assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(r.getHeaders().getFirst(HttpHeaders.CONTENT_DISPOSITION)).startsWith("attachment");
        JsonNode x = r.getBody();
        List<String> keys = new ArrayList<>();
        x.propertyNames().forEach(keys::add);
        // every feature on main that holds personal data; features merged later add their own sections
        assertThat(rights.sections()).contains("activity", "analytics", "campaigns", "importErrors", "journeys",
                "loyalty", "marketplaces", "messaging", "orders", "profile", "rules", "segments", "tracking");
        assertThat(keys).containsAll(rights.sections()).contains("customerId", "exportedAt");
        assertThat(x.path("profile").path("customer").path("emails").get(0).asString()).isEqualTo(EMAIL);
        assertThat(x.path("profile").path("customer").path("identities")).hasSize(1);
        assertThat(x.path("profile").path("identityKeys").size()).isGreaterThanOrEqualTo(3);
        assertThat(x.path("orders").path("orders")).hasSize(2);
        assertThat(x.path("orders").path("purchaseHistory").path("purchases")).hasSize(2);
        assertThat(x.path("activity").path("events").size()).isGreaterThanOrEqualTo(4);
        assertThat(x.path("activity").path("interactions").get(0).path("text").asString()).contains(LAST);
        assertThat(x.path("messaging").path("consentLedger")).hasSize(2);
        assertThat(x.path("messaging").path("messages").findValuesAsString("template")).contains("birthday");
        assertThat(x.path("journeys").path("instances").size()).isGreaterThanOrEqualTo(2);
        assertThat(x.path("rules").has("decisions")).isTrue();
        assertThat(x.path("analytics").has("predictions")).isTrue();
        assertThat(x.path("loyalty").has("account")).isTrue();
        assertThat(x.path("segments").has("memberships")).isTrue();
        assertThat(x.path("campaigns").isArray()).isTrue();
        assertThat(x.path("tracking").isArray()).isTrue();
    }

    @Test
    void tombstonesKeepEventsAndImportsFromRecreatingAnErasedPerson() throws Exception {
        String id = seedPerson();
        api.admin().delete().uri("/api/v1/customers/{id}", id).retrieve().toBodilessEntity();
        long customers = store.mongo().getCollection("customers").countDocuments();
        Instant erasedAt = clock.instant();

        // a later event naming the e-mail, a replayed old order under a new event id, the buyer id alone
        JsonNode later = post(List.of(
                map("eventId", "late-1", "type", "page_viewed", "occurredAt", clock.instant().toString(),
                        "customer", map("email", EMAIL), "properties", map("url", "/")),
                map("eventId", "late-2", "type", "order_placed", "occurredAt", erasedAt.minus(Duration.ofDays(30)).toString(),
                        "customer", person(), "properties", map("orderId", "ZQ-1", "total", "100.00", "currency", "EUR")),
                map("eventId", "late-3", "type", "page_viewed", "occurredAt", clock.instant().toString(),
                        "customer", map("platform", "shopify", "storeId", "zq-shop.myshopify.com", "buyerId", "zq-1"),
                        "properties", map()),
                // a new order after the erasure, but without consent, is not a return either
                map("eventId", "late-4", "type", "order_placed", "occurredAt", clock.instant().toString(),
                        "customer", map("phone", PHONE), "properties", map("orderId", "ZQ-3", "total", "10.00",
                                "currency", "EUR"))));
        assertThat(later.path("rejected").asInt()).as("%s", later).isEqualTo(4);
        later.path("results").forEach(res -> assertThat(res.path("errors").toString()).as("%s", res).contains("erased"));
        assertThat(later.toString()).doesNotContain(EMAIL);

        // a customers import with the same e-mail
        Imports imports = new Imports(api, api.admin());
        JsonNode job = imports.run("customers", "caravan", "platform,buyer_id,email,first_name,last_name\n"
                + "ebay,zq-ebay-7," + EMAIL + "," + FIRST + "," + LAST + "\n"
                + "ebay,se-1,someone.else@example.com,Some,One\n");
        assertThat(job.path("state").asString()).isEqualTo("SUCCEEDED");
        String errors = imports.errors(job.path("jobId").asString());
        assertThat(errors).contains("erased").doesNotContain(EMAIL);
        assertThat(store.mongo().getCollection("customers").countDocuments()).isEqualTo(customers + 1);
        assertThat(RawStoreScan.find(store.mongo(), EMAIL, PHONE_DIGITS, FIRST, LAST)).isEmpty();

        // they come back: a new order placed after the erasure, with consent -> a new customer, not the old one
        clock.setTo(clock.instant().plus(Duration.ofDays(2)));
        JsonNode back = post(List.of(map("eventId", "back-1", "type", "order_placed",
                "occurredAt", clock.instant().toString(), "customer", person(),
                "properties", map("orderId", "ZQ-9", "total", "30.00", "currency", "EUR"))));
        assertThat(back.path("accepted").asInt()).as("%s", back).isEqualTo(1);
        String newId = back.path("results").get(0).path("customerId").asString();
        assertThat(newId).isNotEqualTo(id);
        JsonNode profile = api.admin().get().uri("/api/v1/customers/{id}", newId).retrieve().body(JsonNode.class);
        assertThat(profile.path("customer").path("emails").get(0).asString()).isEqualTo(EMAIL);
        assertThat(profile.path("customer").path("metrics").path("orderCount").asLong()).isEqualTo(1);
        // from then on they are an ordinary customer: later events join the new profile
        JsonNode next = post(List.of(map("eventId", "back-2", "type", "page_viewed", "occurredAt", clock.instant().toString(),
                "customer", map("email", EMAIL), "properties", map())));
        assertThat(next.path("results").get(0).path("customerId").asString()).isEqualTo(newId);
        // the old stub stays anonymous and cannot be written to by id
        JsonNode byId = post(List.of(map("eventId", "back-3", "type", "page_viewed", "occurredAt", clock.instant().toString(),
                "customer", map("customerId", id, "email", "other@example.com"), "properties", map())));
        assertThat(byId.path("rejected").asInt()).isEqualTo(1);
        var patch = api.admin().patch().uri("/api/v1/customers/{id}", id).body(map("firstName", FIRST)).retrieve()
                .toBodilessEntity();
        assertThat(patch.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    }

    @Test
    void retentionAnonymisesCustomersInactiveForTheConfiguredPeriod() throws Exception {
        clock.setTo(Instant.parse("2022-03-01T10:00:00Z"));
        post(List.of(map("eventId", "old-1", "type", "order_placed", "occurredAt", clock.instant().toString(),
                "customer", map("email", "old.timer@example.com", "name", "Olwen Oldtimer"),
                "properties", map("orderId", "OLD-1", "total", "20.00", "currency", "EUR"))));
        clock.setTo(Instant.parse("2026-10-01T10:00:00Z"));
        post(List.of(map("eventId", "new-1", "type", "order_placed", "occurredAt", clock.instant().toString(),
                "customer", map("email", "fresh@example.com", "name", "Fenna Fresh"),
                "properties", map("orderId", "NEW-1", "total", "20.00", "currency", "EUR"))));
        clock.setTo(EVENING);

        JsonNode preview = api.admin().get().uri("/api/v1/privacy/retention/preview").retrieve().body(JsonNode.class);
        assertThat(preview.path("enabled").asBoolean()).isFalse(); // the schedule is off by default
        assertThat(preview.path("candidates").asLong()).isEqualTo(1);
        assertThat(api.admin().get().uri("/api/v1/privacy/retention/preview?inactiveFor=P30D").retrieve()
                .body(JsonNode.class).path("candidates").asLong()).isEqualTo(2);
        assertThat(api.admin().get().uri("/api/v1/privacy/retention/preview?inactiveFor=soon").retrieve()
                .toBodilessEntity().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);

        JsonNode job = api.admin().post().uri("/api/v1/privacy/retention/runs").retrieve().body(JsonNode.class);
        JsonNode done = api.awaitJson(api.admin(), "/api/v1/privacy/retention/runs/" + job.path("id").asString(),
                j -> "SUCCEEDED".equals(j.path("state").asString()) || "FAILED".equals(j.path("state").asString()),
                Duration.ofSeconds(20));
        assertThat(done.path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("counters").path("erased").asLong()).isEqualTo(1);

        assertThat(RawStoreScan.find(store.mongo(), "old.timer@example.com", "Olwen", "Oldtimer")).isEmpty();
        assertThat(store.mongo().getCollection("identity_keys").countDocuments(new Document("_id",
                store.emailKey("fresh@example.com")))).isEqualTo(1); // the active customer stays
        Document erasure = store.mongo().getCollection("erasures").find().first();
        assertThat(erasure.getString("reason")).isEqualTo("retention");
        assertThat(api.admin().get().uri("/api/v1/privacy/retention/preview").retrieve().body(JsonNode.class)
                .path("candidates").asLong()).isZero();
    }

    @Test
    void consentsAMergeBringsAreEntriesInTheSurvivorsLedger() {
        clock.setTo(EVENING.minus(Duration.ofDays(2)));
        String a = post(List.of(map("eventId", "m-a", "type", "signed_up", "occurredAt", clock.instant().toString(),
                "customer", map("email", "merge.a@example.com", "consents", map("email", false)), "properties", map())))
                .path("results").get(0).path("customerId").asString();
        clock.setTo(EVENING);
        String b = post(List.of(map("eventId", "m-b", "type", "signed_up", "occurredAt", clock.instant().toString(),
                "customer", map("phone", "+49 151 23456789", "consents", map("email", true)), "properties", map())))
                .path("results").get(0).path("customerId").asString();

        var merged = api.admin().post().uri("/api/v1/customers/{id}/merge", a).body(map("otherId", b)).retrieve()
                .toBodilessEntity();
        assertThat(merged.getStatusCode()).isEqualTo(HttpStatus.OK);

        JsonNode ledger = api.admin().get().uri("/api/v1/customers/{id}/consents/ledger", a).retrieve().body(JsonNode.class);
        List<String> sources = new ArrayList<>();
        ledger.forEach(e -> sources.add(e.path("source").asString()));
        assertThat(sources).anyMatch(src -> src.startsWith("merge:") && src.contains(b));
        JsonNode last = ledger.get(ledger.size() - 1);
        assertThat(last.path("granted").asBoolean()).isTrue();
        assertThat(last.path("previous").asBoolean()).isFalse();

        // after an unmerge the two are separate people again: erasing one leaves the other alone
        assertThat(api.admin().post().uri("/api/v1/customers/{id}/unmerge", a).retrieve().toBodilessEntity()
                .getStatusCode()).isEqualTo(HttpStatus.OK);
        JsonNode report = api.admin().delete().uri("/api/v1/customers/{id}", a).retrieve().body(JsonNode.class);
        assertThat(report.path("status").asString()).isEqualTo("completed");
        JsonNode other = api.admin().get().uri("/api/v1/customers/{id}", b).retrieve().body(JsonNode.class);
        assertThat(other.path("customer").path("phones").get(0).asString()).isEqualTo("+4915123456789");
        assertThat(RawStoreScan.find(store.mongo(), "merge.a@example.com")).isEmpty();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
