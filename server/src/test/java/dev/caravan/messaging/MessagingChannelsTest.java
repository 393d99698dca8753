package dev.caravan.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.caravan.integrations.contract.SpecContracts;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** Receipts, retries, dead letters, bounces, attribution, statistics and templates. */
class MessagingChannelsTest extends MessagingTestBase {

    private static final String WA_OK = "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"+4915112345678\","
            + "\"wa_id\":\"4915112345678\"}],\"messages\":[{\"id\":\"wamid.ABC\"}]}";

    private String webhook(String wamid, String status, String timestamp, String error) {
        String errors = error == null ? "" : ",\"errors\":[{\"code\":" + error + ",\"title\":\"Message undeliverable\"}]";
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"419561257915477\",\"changes\":[{\"value\":"
                + "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550783881\","
                + "\"phone_number_id\":\"123456\"},\"statuses\":[{\"id\":\"" + wamid + "\",\"status\":\"" + status
                + "\",\"timestamp\":\"" + timestamp + "\",\"recipient_id\":\"4915112345678\"" + errors + "}]},"
                + "\"field\":\"messages\"}]}]}";
    }

    private static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private HttpStatus postWebhook(String body, String signature) {
        return HttpStatus.valueOf(api.anonymous().post().uri("/webhooks/whatsapp").contentType(MediaType.APPLICATION_JSON)
                .header("X-Hub-Signature-256", signature).body(body).retrieve().toBodilessEntity().getStatusCode().value());
    }

    @Test
    void whatsAppStatusWebhooksAreVerifiedAndMoveTheMessageToDeliveredAndRead() throws Exception {
        customer("c1", null, "+4915112345678", "Europe/Berlin", "en", Map.of("whatsapp", true));
        STUB.stubFor(post(urlPathEqualTo("/v23.0/123456/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(WA_OK)));
        String id = send(request("c1", "whatsapp", "win_back", null, "wa-1",
                Map.of("coupon", Map.of("code", "WB-5")))).path("messageId").asString();
        JsonNode sent = awaitStatus(id, "sent");
        assertThat(sent.path("providerMessageId").asString()).isEqualTo("wamid.ABC");
        String request = STUB.findAll(postRequestedFor(urlPathEqualTo("/v23.0/123456/messages"))).get(0).getBodyAsString();
        assertThat(request).contains("\"name\":\"win_back_offer\"", "\"text\":\"Ann\"",
                "\"text\":\"Come back with the code WB-5.\"");
        if (SpecContracts.specsDir().isPresent()) {
            assertThat(SpecContracts.whatsApp().validate("TemplateMessage", request)).isEmpty();
        }

        // Meta's verification handshake
        var verify = api.anonymous().get().uri("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me"
                + "&hub.challenge=12345").retrieve().toEntity(String.class);
        assertThat(verify.getBody()).isEqualTo("12345");
        assertThat(api.anonymous().get().uri("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong"
                + "&hub.challenge=1").retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(403);

        String delivered = webhook("wamid.ABC", "delivered", String.valueOf(clock.instant().getEpochSecond()), null);
        if (SpecContracts.specsDir().isPresent()) {
            JsonNode status = new tools.jackson.databind.ObjectMapper().readTree(delivered)
                    .at("/entry/0/changes/0/value/statuses/0");
            assertThat(SpecContracts.whatsApp().validate("Statuses", status)).isEmpty();
        }
        assertThat(postWebhook(delivered, "sha256=00")).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(message(id).path("status").asString()).isEqualTo("sent");
        assertThat(postWebhook(delivered, sign(delivered))).isEqualTo(HttpStatus.OK);
        assertThat(message(id).path("status").asString()).isEqualTo("delivered");
        String read = webhook("wamid.ABC", "read", String.valueOf(clock.instant().getEpochSecond()), null);
        assertThat(postWebhook(read, sign(read))).isEqualTo(HttpStatus.OK);
        // a late "delivered" never moves a read message back
        assertThat(postWebhook(delivered, sign(delivered))).isEqualTo(HttpStatus.OK);
        JsonNode after = message(id);
        assertThat(after.path("status").asString()).isEqualTo("read");
        assertThat(after.path("deliveredAt").isMissingNode() || after.path("deliveredAt").isNull()).isFalse();
        assertThat(statusesOf(id)).containsSubsequence("queued", "sent", "delivered", "read");
    }

    @Test
    void freeFormWhatsAppTextNeedsTheServiceWindowAndStopRepliesUnsubscribe() throws Exception {
        customer("c1", null, "+4915112345678", null, "en", Map.of("whatsapp", true));
        store.mongo().getCollection("identity_keys").insertOne(new org.bson.Document("_id", store.phoneKey("+4915112345678"))
                .append("customerId", "c1").append("kind", "PHONE"));
        String inbound = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"value\":"
                + "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"1\",\"phone_number_id\":"
                + "\"123456\"},\"contacts\":[{\"profile\":{\"name\":\"Ann\"},\"wa_id\":\"4915112345678\"}],\"messages\":"
                + "[{\"from\":\"4915112345678\",\"id\":\"wamid.IN1\",\"timestamp\":\"" + clock.instant().getEpochSecond()
                + "\",\"type\":\"text\",\"text\":{\"body\":\"STOP\"}}]},\"field\":\"messages\"}]}]}";
        assertThat(postWebhook(inbound, sign(inbound))).isEqualTo(HttpStatus.OK);

        JsonNode consents = api.admin().get().uri("/api/v1/customers/c1/consents").retrieve().body(JsonNode.class);
        assertThat(consents.path("marketing").path("whatsapp").path("granted").asBoolean()).isFalse();
        JsonNode marketing = send(request("c1", "whatsapp", "birthday", null, null, Map.of()));
        assertThat(marketing.path("reason").path("code").asString()).isEqualTo("consent");
    }

    @Test
    void transientFailuresAreRetriedWithBackoffAndPermanentOnesBecomeDeadLettersThatCanBeRetried() throws Exception {
        customer("c1", null, "+4915112345678", null, "en", Map.of("whatsapp", true));
        STUB.stubFor(post(urlPathEqualTo("/v23.0/123456/messages")).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withBody("{\"error\":{\"message\":\"busy\",\"code\":1}}"))
                .willSetStateTo("ok"));
        STUB.stubFor(post(urlPathEqualTo("/v23.0/123456/messages")).inScenario("flaky").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(WA_OK)));
        String id = send(request("c1", "whatsapp", "welcome", null, null, Map.of())).path("messageId").asString();
        JsonNode sent = awaitStatus(id, "sent");
        assertThat(sent.path("attempts").asInt()).isEqualTo(2);
        assertThat(statusesOf(id)).containsSubsequence("queued", "queued", "sent");
        assertThat(events.changes.stream().filter(e -> e.messageId().equals(id) && "retry".equals(e.reasonCode()))).hasSize(1);

        STUB.resetAll();
        STUB.stubFor(post(urlPathEqualTo("/v23.0/123456/messages")).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":{\"message\":\"(#132001) Template name does not exist in the translation\","
                        + "\"code\":132001}}")));
        customer("c2", null, "+4915112345679", null, "en", Map.of("whatsapp", true));
        String bad = send(request("c2", "whatsapp", "welcome", null, null, Map.of())).path("messageId").asString();
        JsonNode failed = awaitStatus(bad, "failed");
        assertThat(failed.path("reason").path("message").asString()).contains("132001");
        JsonNode dead = api.admin().get().uri("/api/v1/messages/dead-letters").retrieve().body(JsonNode.class);
        assertThat(dead.path("content")).extracting(n -> n.path("id").asString()).containsExactly(bad);

        STUB.resetAll();
        STUB.stubFor(post(urlPathEqualTo("/v23.0/123456/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(WA_OK.replace("ABC", "DEF"))));
        var retried = api.admin().post().uri("/api/v1/messages/{id}/retry", bad).retrieve().toEntity(JsonNode.class);
        assertThat(retried.getStatusCode()).isEqualTo(HttpStatus.OK);
        awaitStatus(bad, "sent");
        var again = api.admin().post().uri("/api/v1/messages/{id}/retry", bad).retrieve().toEntity(JsonNode.class);
        assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    }

    @Test
    void exhaustedRetriesEndAsFailedWithTheLastError() {
        customer("c1", "ann@example.com", null, null, "en", Map.of());
        identity("c1", "ebay", "buyer_ann");
        hasOrdered("c1");
        STUB.stubFor(post(urlPathEqualTo("/commerce/message/v1/send_message")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"errors\":[{\"errorId\":355001}]}")));
        String id = send(request("c1", "ebay", "order_confirmation", null, null, Map.of())).path("messageId").asString();
        JsonNode failed = awaitStatus(id, "failed");
        assertThat(failed.path("attempts").asInt()).isEqualTo(3);
        assertThat(failed.path("reason").path("message").asString()).contains("gave up after 3 attempts", "HTTP 500");
        assertThat(STUB.findAll(postRequestedFor(urlPathEqualTo("/commerce/message/v1/send_message")))).hasSize(3);
    }

    @Test
    void aBounceFromTheBounceMailboxMarksTheMessageAndBlocksTheAddress() throws Exception {
        customer("c1", "gone@example.net", null, null, "en", Map.of("email", true));
        String id = send(request("c1", "email", "welcome", null, null, Map.of())).path("messageId").asString();
        awaitStatus(id, "sent");
        String dsn = String.join("\r\n", "From: MAILER-DAEMON@mx.example.net", "To: bounces@shop.test",
                "Subject: Undelivered Mail Returned to Sender", "MIME-Version: 1.0",
                "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"", "", "--B",
                "Content-Type: text/plain", "", "Delivery failed.", "--B", "Content-Type: message/delivery-status", "",
                "Reporting-MTA: dns; mx.example.net", "", "Final-Recipient: rfc822; gone@example.net", "Action: failed",
                "Status: 5.1.1", "Diagnostic-Code: smtp; 550 5.1.1 user unknown", "--B",
                "Content-Type: text/rfc822-headers", "", "Message-ID: <" + id + "@shop.test>", "Subject: Welcome",
                "--B--", "");
        MAIL.getUserManager().getUser("bounces").deliver(new MimeMessage(Session.getInstance(new java.util.Properties()),
                new ByteArrayInputStream(dsn.getBytes(StandardCharsets.US_ASCII))));

        JsonNode bounced = awaitStatus(id, "bounced");
        assertThat(bounced.path("reason").path("message").asString()).contains("5.1.1");
        JsonNode next = send(request("c1", "email", "order_confirmation", "transactional", null, Map.of()));
        assertThat(next.path("status").asString()).isEqualTo("suppressed");
        assertThat(next.path("reason").path("code").asString()).isIn("bounced", "consent");
        JsonNode check = api.admin().post().uri("/api/v1/messages/check")
                .body(request("c1", "email", "birthday", null, null, Map.of())).retrieve().body(JsonNode.class);
        assertThat(check.path("reason").path("code").asString()).isEqualTo("bounced");
    }

    @Test
    void ordersAfterADeliveredMessageAreAttributedAndCountInTheStats() throws Exception {
        customer("c1", "ann@example.com", null, null, "en", Map.of("email", true));
        Map<String, Object> body = request("c1", "email", "win_back", null, "attr-1", Map.of());
        body.put("journeyId", "winback-journey");
        body.put("journeyInstanceId", "i-1");
        body.put("stepId", "send-offer");
        String id = send(body).path("messageId").asString();
        awaitStatus(id, "sent");

        String order = "{\"eventId\":\"o-ev-1\",\"type\":\"order_placed\",\"occurredAt\":\""
                + clock.instant().plusSeconds(5) + "\",\"customer\":{\"customerId\":\"c1\"},\"properties\":"
                + "{\"orderId\":\"A-100\",\"total\":\"40.00\",\"currency\":\"USD\"}}";
        var ingested = api.admin().post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON).body(order)
                .retrieve().toEntity(JsonNode.class);
        assertThat(ingested.getStatusCode().is2xxSuccessful()).isTrue();

        await(() -> !events.conversions.isEmpty(), Duration.ofSeconds(5), "a conversion");
        MessageConversion c = events.conversions.get(0);
        assertThat(c.messageId()).isEqualTo(id);
        assertThat(c.journeyId()).isEqualTo("winback-journey");
        assertThat(c.totalBase()).isEqualByComparingTo("40.00");
        JsonNode m = message(id);
        assertThat(m.path("conversions").asInt()).isEqualTo(1);

        JsonNode stats = api.admin().get().uri("/api/v1/messages/stats?groupBy=channel,journeyId").retrieve()
                .body(JsonNode.class);
        JsonNode row = stats.get(0);
        assertThat(row.path("group").path("channel").asString()).isEqualTo("email");
        assertThat(row.path("group").path("journeyId").asString()).isEqualTo("winback-journey");
        assertThat(row.path("sent").asLong()).isEqualTo(1);
        assertThat(row.path("conversions").asLong()).isEqualTo(1);
        assertThat(row.path("revenueBase").decimalValue()).isEqualByComparingTo("40.00");
        JsonNode list = api.admin().get().uri("/api/v1/messages?customerId=c1&channel=email").retrieve().body(JsonNode.class);
        assertThat(list.path("totalElements").asLong()).isEqualTo(1);
        JsonNode view = api.admin().get().uri("/api/v1/customers/c1").retrieve().body(JsonNode.class);
        assertThat(view.path("messaging").path("recentMessages").get(0).path("m").asString()).isEqualTo(id);
        JsonNode timeline = api.admin().get().uri("/api/v1/customers/c1/timeline").retrieve().body(JsonNode.class);
        assertThat(timeline.toString()).contains("message 'win_back' sent");
    }

    @Test
    void templatesAreEditedAtRunTimeWithValidationPreviewAndRollback() {
        JsonNode list = api.admin().get().uri("/api/v1/messages/templates").retrieve().body(JsonNode.class);
        List<String> names = new java.util.ArrayList<>();
        list.forEach(t -> names.add(t.path("name").asString() + "/" + t.path("channel").asString() + "/" + t.path("language").asString()));
        for (String name : List.of("welcome", "order_confirmation", "abandoned_cart", "win_back", "holiday_greeting",
                "birthday", "review_request", "vip_upgrade")) {
            for (String lang : List.of("en", "zh-CN")) {
                assertThat(names).contains(name + "/email/" + lang, name + "/whatsapp/" + lang, name + "/inbox/" + lang);
            }
        }

        var broken = api.admin().put().uri("/api/v1/messages/templates/win_back/email/en")
                .contentType(MediaType.TEXT_PLAIN).body("purpose: marketing\nsubject: Hi {{customer.firstName}\n---- html\n<p>x</p>\n")
                .retrieve().toEntity(JsonNode.class);
        assertThat(broken.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(broken.getBody().toString()).contains("line 2");

        var saved = api.admin().put().uri("/api/v1/messages/templates/win_back/email/en?comment=shorter")
                .contentType(MediaType.TEXT_PLAIN)
                .body("purpose: marketing\nsubject: Come back, {{customer.firstName}}\n---- html\n<p>Use {{coupon.code}}</p>\n---- text\nUse {{coupon.code}}\n")
                .retrieve().toEntity(JsonNode.class);
        assertThat(saved.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(saved.getBody().path("version").asInt()).isEqualTo(1);

        customer("c1", "ann@example.com", null, null, "en", Map.of("email", true));
        JsonNode preview = api.admin().post().uri("/api/v1/messages/templates/win_back/email/en/preview")
                .body(Map.of("customerId", "c1", "params", Map.of("coupon", Map.of("code", "<X&Y>")))).retrieve()
                .body(JsonNode.class);
        assertThat(preview.path("headers").path("subject").asString()).isEqualTo("Come back, Ann");
        assertThat(preview.path("parts").path("html").asString()).contains("&lt;X&amp;Y&gt;");
        assertThat(preview.path("parts").path("text").asString()).contains("<X&Y>");
        JsonNode missing = api.admin().post().uri("/api/v1/messages/templates/win_back/email/en/preview")
                .body(Map.of()).retrieve().body(JsonNode.class);
        assertThat(missing.path("missingVariables").toString()).contains("coupon.code");

        JsonNode versions = api.admin().get().uri("/api/v1/messages/templates/win_back/email/en/versions").retrieve()
                .body(JsonNode.class);
        assertThat(versions).hasSize(2);
        JsonNode back = api.admin().post().uri("/api/v1/messages/templates/win_back/email/en/activate")
                .body(Map.of("version", 0)).retrieve().body(JsonNode.class);
        assertThat(back.path("origin").asString()).isEqualTo("bundled");
        var analyst = api.anonymous().get().uri("/api/v1/messages/templates").retrieve().toBodilessEntity();
        assertThat(analyst.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void quietHoursDeferredMessagesGoOutAtTheRightLocalTime() {
        clock.setTo(Instant.parse("2026-11-23T21:30:00Z")); // 22:30 in Berlin
        customer("c1", "ann@example.com", null, "Europe/Berlin", "en", Map.of("email", true));
        JsonNode r = send(request("c1", "email", "abandoned_cart", null, null,
                Map.of("cartUrl", "https://shop.test/cart", "products", List.of(Map.of("name", "Lamp", "price", "€20")))));
        assertThat(r.path("dueAt").asString()).isEqualTo("2026-11-24T07:00:00Z");
        clock.setTo(Instant.parse("2026-11-24T07:00:00.500Z"));
        JsonNode sent = awaitStatus(r.path("messageId").asString(), "sent");
        assertThat(Instant.parse(sent.path("sentAt").asString())).isAfterOrEqualTo(Instant.parse("2026-11-24T07:00:00Z"));
    }
}
