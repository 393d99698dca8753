package dev.caravan.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** The pipeline end to end through the HTTP API: decisions, checks at send time, idempotency, e-mail over SMTP. */
class MessagingPipelineTest extends MessagingTestBase {

    @Test
    void theOutboxHasIndexesOfExactlyTheShapeOfItsConditionalUpdates() {
        // the embedded store uses an index only for queries on exactly its fields
        List<String> messages = new java.util.ArrayList<>();
        store.mongo().getCollection("messages").listIndexes().forEach(d -> messages.add(d.getString("name")));
        List<String> histories = new java.util.ArrayList<>();
        store.mongo().getCollection("message_histories").listIndexes().forEach(d -> histories.add(d.getString("name")));
        assertThat(messages).contains("id_lease_pending", "id_lease");
        assertThat(histories).contains("id_v");
    }

    @Test
    void marketingEmailGoesOutWithOneClickUnsubscribeAndStatusEvents() throws Exception {
        customer("c1", "ann@example.com", null, "Europe/Berlin", "en", Map.of("email", true));

        JsonNode r = send(request("c1", "email", "win_back", null, "k-1",
                Map.of("coupon", Map.of("code", "COME-BACK-10", "discount", "10%"))));

        assertThat(r.path("status").asString()).isEqualTo("queued");
        String id = r.path("messageId").asString();
        JsonNode sent = awaitStatus(id, "sent");
        assertThat(sent.path("recipient").asString()).isEqualTo("ann@example.com");
        assertThat(sent.path("purpose").asString()).isEqualTo("marketing");
        assertThat(MAIL.waitForIncomingEmail(5000, 1)).isTrue();
        MimeMessage mail = MAIL.getReceivedMessages()[0];
        assertThat(mail.getSubject()).isEqualTo("We miss you, Ann");
        assertThat(mail.getHeader("List-Unsubscribe")[0]).startsWith("<https://shop.test/u/");
        assertThat(mail.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(mail.getMessageID()).isEqualTo("<" + id + "@shop.test>");
        String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(mail);
        assertThat(body).contains("COME-BACK-10");
        assertThat(statusesOf(id)).containsSubsequence("queued", "sent");
        MessageStatusChanged e = events.changes.stream().filter(x -> x.status().equals("sent")).findFirst().orElseThrow();
        assertThat(e.customerId()).isEqualTo("c1");
        assertThat(e.channel()).isEqualTo("email");
        assertThat(e.template()).isEqualTo("win_back");
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheSameMessageAndSendsNothingNew() throws Exception {
        customer("c1", "ann@example.com", null, null, "en", Map.of("email", true));
        Map<String, Object> body = request("c1", "email", "welcome", null, "journey:j1:step-1:c1", Map.of());

        JsonNode first = send(body);
        JsonNode second = send(body);
        awaitStatus(first.path("messageId").asString(), "sent");
        JsonNode third = send(body);

        assertThat(second.path("messageId").asString()).isEqualTo(first.path("messageId").asString());
        assertThat(second.path("duplicate").asBoolean()).isTrue();
        assertThat(third.path("status").asString()).isEqualTo("sent");
        Thread.sleep(300);
        assertThat(MAIL.getReceivedMessages()).hasSize(1);
        // the same key for a different message is a conflict, not a silent no-op
        var conflict = api.admin().post().uri("/api/v1/messages")
                .body(request("c1", "email", "birthday", null, "journey:j1:step-1:c1", Map.of())).retrieve()
                .toEntity(JsonNode.class);
        assertThat(conflict.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    }

    @Test
    void anUnsubscribeBetweenQueueingAndSendingStopsTheMessage() throws Exception {
        // 23:00 in Berlin: the marketing message waits for the morning
        clock.setTo(Instant.parse("2026-11-23T22:00:00Z"));
        customer("c1", "ann@example.com", null, "Europe/Berlin", "en", Map.of("email", true));
        JsonNode r = send(request("c1", "email", "win_back", null, "k-unsub", Map.of()));
        assertThat(r.path("status").asString()).isEqualTo("deferred");
        String id = r.path("messageId").asString();

        String token = store.mongo().getCollection("messages").find(new org.bson.Document("_id", id)).first()
                .getString("unsubscribeToken");
        var page = api.anonymous().get().uri("/u/{t}", token).retrieve().toEntity(String.class);
        assertThat(page.getBody()).contains("<form method=\"post\"");
        var done = api.anonymous().post().uri("/u/{t}", token).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body("List-Unsubscribe=One-Click").retrieve().toEntity(String.class);
        var invalid = api.anonymous().post().uri("/u/{t}", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body("List-Unsubscribe=One-Click").retrieve()
                .toEntity(String.class);
        assertThat(done.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(invalid.getStatusCode()).isEqualTo(done.getStatusCode());
        assertThat(invalid.getBody()).isEqualTo(done.getBody());

        clock.setTo(Instant.parse("2026-11-24T07:05:00Z")); // 08:05 in Berlin
        JsonNode after = awaitStatus(id, "suppressed");
        assertThat(after.path("reason").path("code").asString()).isEqualTo("consent");
        assertThat(after.path("reason").path("message").asString()).contains("withdrew marketing consent for email");
        assertThat(MAIL.getReceivedMessages()).isEmpty();

        JsonNode ledger = api.admin().get().uri("/api/v1/customers/c1/consents/ledger").retrieve().body(JsonNode.class);
        assertThat(ledger).hasSize(1);
        assertThat(ledger.get(0).path("granted").asBoolean()).isFalse();
        assertThat(ledger.get(0).path("source").asString()).isEqualTo("unsubscribe-one-click");
        assertThat(ledger.get(0).path("actor").asString()).isEqualTo("customer");
        assertThat(ledger.get(0).path("messageId").asString()).isEqualTo(id);
    }

    @Test
    void quietHoursDeferToTheEndOfTheNightInTheCustomersOwnTimeZone() throws Exception {
        // 14:00 UTC = 22:00 in Shanghai and 06:00 in Los Angeles: both are quiet (21:00-08:00 local)
        clock.setTo(Instant.parse("2026-11-23T14:00:00Z"));
        customer("cn", "li@example.cn", null, "Asia/Shanghai", "zh-CN", Map.of("email", true));
        customer("us", "bo@example.com", null, "America/Los_Angeles", "en", Map.of("email", true));
        customer("de", "jo@example.de", null, "Europe/Berlin", "de", Map.of("email", true));

        JsonNode cn = send(request("cn", "email", "birthday", null, "q-cn", Map.of()));
        JsonNode us = send(request("us", "email", "birthday", null, "q-us", Map.of()));
        JsonNode de = send(request("de", "email", "birthday", null, "q-de", Map.of()));
        JsonNode tx = send(request("cn", "email", "order_confirmation", "transactional", "q-tx",
                Map.of("order", Map.of("id", "O-1"))));

        assertThat(cn.path("status").asString()).isEqualTo("deferred");
        assertThat(cn.path("dueAt").asString()).isEqualTo("2026-11-24T00:00:00Z"); // 08:00 Shanghai
        assertThat(cn.path("reason").path("code").asString()).isEqualTo("quiet_hours");
        assertThat(us.path("status").asString()).isEqualTo("deferred");
        assertThat(us.path("dueAt").asString()).isEqualTo("2026-11-23T16:00:00Z"); // 08:00 Los Angeles, same day
        assertThat(de.path("status").asString()).isEqualTo("queued"); // 15:00 in Berlin
        // transactional mail is not held back by quiet hours (the customer has an order)
        assertThat(tx.path("status").asString()).isIn("queued", "suppressed");

        clock.setTo(Instant.parse("2026-11-23T15:59:00Z"));
        Thread.sleep(400);
        assertThat(message(us.path("messageId").asString()).path("status").asString()).isEqualTo("deferred");
        clock.setTo(Instant.parse("2026-11-23T16:00:01Z"));
        awaitStatus(us.path("messageId").asString(), "sent");
        assertThat(message(cn.path("messageId").asString()).path("status").asString()).isEqualTo("deferred");
        clock.setTo(Instant.parse("2026-11-24T00:00:01Z"));
        JsonNode sentCn = awaitStatus(cn.path("messageId").asString(), "sent");
        assertThat(sentCn.path("language").isNull() || sentCn.path("language").isMissingNode()).isTrue();
        assertThat(java.util.Arrays.stream(MAIL.getReceivedMessages()).map(m -> {
            try { return m.getSubject(); } catch (Exception e) { return ""; }
        })).contains("生日快乐，Ann！");
    }

    @Test
    void holidaysDeferMarketingToTheNextWorkingMorningButNotHolidayGreetings() {
        // caravan.messaging.holidays has CN:2026-12-25 in the test configuration
        clock.setTo(Instant.parse("2026-12-25T04:00:00Z")); // 12:00 in Shanghai
        customer("cn", "li@example.cn", null, "Asia/Shanghai", "zh-CN", Map.of("email", true));
        store.mongo().getCollection("customers").updateOne(new org.bson.Document("_id", "cn"),
                new org.bson.Document("$set", new org.bson.Document("country", "CN")));
        JsonNode check = api.admin().post().uri("/api/v1/messages/check")
                .body(request("cn", "email", "win_back", null, null, Map.of())).retrieve().body(JsonNode.class);
        assertThat(check.path("outcome").asString()).isEqualTo("defer");
        assertThat(check.path("reason").path("code").asString()).isEqualTo("holiday");
        assertThat(check.path("deferUntil").asString()).isEqualTo("2026-12-26T00:00:00Z");
        JsonNode greeting = api.admin().post().uri("/api/v1/messages/check")
                .body(request("cn", "email", "holiday_greeting", null, null, Map.of("holiday", "圣诞节")))
                .retrieve().body(JsonNode.class);
        assertThat(greeting.path("outcome").asString()).isEqualTo("send");
    }

    @Test
    void theFrequencyCapHoldsAcrossEmailAndWhatsApp() throws Exception {
        customer("c1", "ann@example.com", "+4915112345678", "Europe/Berlin", "en",
                Map.of("email", true, "whatsapp", true));
        STUB.stubFor(post(urlPathEqualTo("/v23.0/123456/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.CAP\"}]}")));

        JsonNode email = send(request("c1", "email", "win_back", null, "cap-1", Map.of()));
        awaitStatus(email.path("messageId").asString(), "sent");
        JsonNode check = api.admin().post().uri("/api/v1/messages/check")
                .body(request("c1", "whatsapp", "birthday", null, null, Map.of())).retrieve().body(JsonNode.class);
        JsonNode whatsapp = send(request("c1", "whatsapp", "birthday", null, "cap-2", Map.of()));
        JsonNode transactional = send(request("c1", "whatsapp", "vip_upgrade", "transactional", "cap-3",
                Map.of("tier", "GOLD")));

        assertThat(check.path("allowed").asBoolean()).isFalse();
        assertThat(check.path("reason").path("code").asString()).isEqualTo("frequency_cap");
        assertThat(whatsapp.path("status").asString()).isEqualTo("suppressed");
        assertThat(whatsapp.path("reason").path("code").asString()).isEqualTo("frequency_cap");
        assertThat(whatsapp.path("reason").path("message").asString()).contains("across all channels");
        // transactional messages are not capped (marketing consent on the channel is their basis here)
        awaitStatus(transactional.path("messageId").asString(), "sent");
        assertThat(STUB.findAll(postRequestedFor(urlPathMatching("/v23.0/.*")))).hasSize(1);
        assertThat(STUB.findAll(postRequestedFor(urlPathMatching("/v23.0/.*"))).get(0).getBodyAsString())
                .contains("\"name\":\"vip_upgrade\"");

        clock.setTo(NOON.plus(Duration.ofHours(25)));
        JsonNode nextDay = send(request("c1", "whatsapp", "birthday", null, "cap-4", Map.of()));
        assertThat(nextDay.path("status").asString()).isEqualTo("queued");
    }

    @Test
    void amazonRefusesMarketingWithThePolicyReasonAndCarriesOrderMessages() throws Exception {
        customer("c1", "ann@example.com", null, null, "en", Map.of("email", true));
        identity("c1", "amazon", "AMZBUYER1");
        hasOrdered("c1");

        JsonNode marketing = send(request("c1", "amazon", "win_back", "marketing", "amz-1", Map.of()));

        assertThat(marketing.path("status").asString()).isEqualTo("suppressed");
        assertThat(marketing.path("reason").path("code").asString()).isEqualTo("channel_policy");
        assertThat(marketing.path("reason").path("message").asString())
                .contains("Amazon", "only order-related", "marketing");
        JsonNode check = api.admin().post().uri("/api/v1/messages/check")
                .body(request("c1", "amazon", "win_back", "marketing", null, Map.of())).retrieve().body(JsonNode.class);
        assertThat(check.path("outcome").asString()).isEqualTo("suppress");
        assertThat(check.path("checks").get(0).path("check").asString()).isEqualTo("channel_policy");

        STUB.stubFor(post(urlPathMatching("/messaging/v1/orders/.*/messages/unexpectedProblem"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withHeader("x-amzn-RequestId", "req-9").withBody("{}")));
        JsonNode order = send(request("c1", "amazon", "unexpected_problem", "transactional", "amz-2",
                Map.of("orderId", "123-1234567-1234567", "order", Map.of("id", "123-1234567-1234567"),
                        "problem", "the parcel is delayed by two days")));
        JsonNode sent = awaitStatus(order.path("messageId").asString(), "sent");
        assertThat(sent.path("providerMessageId").asString()).isEqualTo("req-9");
        var req = STUB.findAll(postRequestedFor(urlPathMatching("/messaging/.*"))).get(0);
        assertThat(req.getUrl()).startsWith("/messaging/v1/orders/123-1234567-1234567/messages/unexpectedProblem");
        assertThat(req.queryParameter("marketplaceIds").firstValue()).isEqualTo("A1PA6795UKMFR9");
        assertThat(req.getBodyAsString()).contains("delayed by two days").doesNotContain("<");
        if (dev.caravan.integrations.contract.SpecContracts.specsDir().isPresent()) {
            assertThat(dev.caravan.integrations.contract.SpecContracts.amazonMessaging()
                    .validate("CreateUnexpectedProblemRequest", req.getBodyAsString())).isEmpty();
        }
    }

    @Test
    void ebayMessagesGoToTheBuyersEbayUserAndMarketingIsRefused() throws Exception {
        customer("c1", null, null, null, "en", Map.of());
        identity("c1", "ebay", "buyer_ann");
        hasOrdered("c1");
        STUB.stubFor(post(urlPathEqualTo("/commerce/message/v1/send_message")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"messageId\":\"eb-1\"}")));

        JsonNode marketing = send(request("c1", "ebay", "win_back", "marketing", "eb-m", Map.of()));
        JsonNode r = send(request("c1", "ebay", "order_confirmation", null, "eb-1",
                Map.of("order", Map.of("id", "12-34567-89012"), "listingId", "110553000000")));

        assertThat(marketing.path("reason").path("code").asString()).isEqualTo("channel_policy");
        JsonNode sent = awaitStatus(r.path("messageId").asString(), "sent");
        assertThat(sent.path("providerMessageId").asString()).isEqualTo("eb-1");
        String body = STUB.findAll(postRequestedFor(urlPathEqualTo("/commerce/message/v1/send_message"))).get(0)
                .getBodyAsString();
        assertThat(body).contains("\"otherPartyUsername\":\"buyer_ann\"", "12-34567-89012", "\"referenceId\":\"110553000000\"");
        if (dev.caravan.integrations.contract.SpecContracts.specsDir().isPresent()) {
            assertThat(dev.caravan.integrations.contract.SpecContracts.ebayMessage()
                    .validate("SendMessageRequest", body)).isEmpty();
        }
    }

    @Test
    void inboxMessagesAreStoredForTheStorefrontAndMarkedRead() {
        customer("c1", null, null, null, "zh-CN", Map.of());
        JsonNode r = send(request("c1", "inbox", "welcome", null, "in-1", Map.of("coupon", Map.of("code", "HELLO"))));
        String id = r.path("messageId").asString();
        awaitStatus(id, "delivered");

        JsonNode inbox = api.admin().get().uri("/api/v1/customers/c1/inbox").retrieve().body(JsonNode.class);
        assertThat(inbox).hasSize(1);
        assertThat(inbox.get(0).path("title").asString()).isEqualTo("欢迎来到 Test Shop");
        assertThat(inbox.get(0).path("body").asString()).contains("HELLO");
        api.admin().post().uri("/api/v1/customers/c1/inbox/{m}/read", id).retrieve().body(JsonNode.class);
        assertThat(message(id).path("status").asString()).isEqualTo("read");
    }

    @Test
    void messagesWithoutConsentOrAddressAreSuppressedWithTheReason() {
        customer("c1", "ann@example.com", null, null, "en", Map.of());
        customer("c2", null, null, null, "en", Map.of("email", true));
        JsonNode noConsent = send(request("c1", "email", "win_back", null, null, Map.of()));
        JsonNode noAddress = send(request("c2", "email", "win_back", null, null, Map.of()));
        JsonNode noOrder = send(request("c1", "email", "order_confirmation", null, null, Map.of()));
        assertThat(noConsent.path("reason").path("message").asString()).isEqualTo("no marketing consent for email");
        assertThat(noAddress.path("reason").path("code").asString()).isEqualTo("no_address");
        assertThat(noOrder.path("reason").path("code").asString()).isEqualTo("consent");

        var bad = api.admin().post().uri("/api/v1/messages").body(request("c1", "fax", "win_back", null, null, Map.of()))
                .retrieve().toEntity(JsonNode.class);
        assertThat(bad.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        var unknownTemplate = api.admin().post().uri("/api/v1/messages")
                .body(request("c1", "email", "nope", null, null, Map.of())).retrieve().toEntity(JsonNode.class);
        assertThat(unknownTemplate.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        var asTransactional = api.admin().post().uri("/api/v1/messages")
                .body(request("c1", "email", "win_back", "transactional", null, Map.of())).retrieve().toEntity(JsonNode.class);
        assertThat(asTransactional.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        var unknownCustomer = api.admin().post().uri("/api/v1/messages")
                .body(request("nobody", "email", "win_back", null, null, Map.of())).retrieve().toEntity(JsonNode.class);
        assertThat(unknownCustomer.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        var analyst = api.anonymous().post().uri("/api/v1/messages").body(request("c1", "email", "win_back", null, null,
                Map.of())).retrieve().toEntity(JsonNode.class);
        assertThat(analyst.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void consentsCanBeSetThroughTheApiAndAreLedgered() {
        customer("c1", "ann@example.com", null, null, "en", Map.of());
        JsonNode state = api.admin().put().uri("/api/v1/customers/c1/consents/email")
                .body(Map.of("granted", true, "source", "double opt-in 2026-11-20")).retrieve().body(JsonNode.class);
        assertThat(state.path("marketing").path("email").path("granted").asBoolean()).isTrue();
        JsonNode r = send(request("c1", "email", "win_back", null, null, Map.of()));
        assertThat(r.path("status").asString()).isEqualTo("queued");
        api.admin().put().uri("/api/v1/customers/c1/consents/email")
                .body(Map.of("granted", false, "purpose", "transactional", "source", "support call")).retrieve()
                .body(JsonNode.class);
        hasOrdered("c1");
        JsonNode tx = send(request("c1", "email", "order_confirmation", null, null, Map.of()));
        assertThat(tx.path("status").asString()).isEqualTo("suppressed");
        assertThat(tx.path("reason").path("message").asString()).contains("refused email messages");
        JsonNode ledger = api.admin().get().uri("/api/v1/customers/c1/consents/ledger").retrieve().body(JsonNode.class);
        assertThat(ledger).hasSize(2);
        assertThat(ledger.get(0).path("actor").asString()).isEqualTo("admin");
        assertThat(ledger.get(1).path("purpose").asString()).isEqualTo("transactional");
        var bad = api.admin().put().uri("/api/v1/customers/c1/consents/pigeon").body(Map.of("granted", true))
                .retrieve().toEntity(JsonNode.class);
        assertThat(bad.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    }
}
