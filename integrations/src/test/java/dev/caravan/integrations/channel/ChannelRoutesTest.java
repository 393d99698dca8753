package dev.caravan.integrations.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.caravan.integrations.contract.SpecContracts;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every channel route against real servers in this JVM: GreenMail (SMTP and IMAP) and WireMock stubs answering
 * like the official contracts; the requests the routes make are validated against those contracts.
 */
class ChannelRoutesTest {

    static final GreenMail mail = new GreenMail(new ServerSetup[]{
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
    static final WireMockServer stub = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    static final List<MailBounce> bounces = new CopyOnWriteArrayList<>();
    static final List<InboxMessage> inbox = new CopyOnWriteArrayList<>();
    static CamelContext camel;
    static ProducerTemplate producer;

    @BeforeAll
    static void start() throws Exception {
        mail.start();
        mail.setUser("bounces@shop.example", "bounces", "secret");
        stub.start();
        String base = "http://127.0.0.1:" + stub.port();
        MailSettings settings = new MailSettings("127.0.0.1", mail.getSmtp().getPort(), "Shop <news@shop.example>",
                null, null, false, false, Duration.ofSeconds(5), Duration.ofSeconds(10), "caravan.test", "shop.example",
                new MailSettings.BounceMailbox(true, "imap", "127.0.0.1", mail.getImap().getPort(), "bounces", "secret",
                        "INBOX", Duration.ofMillis(200)));
        camel = new DefaultCamelContext();
        camel.addRoutes(new ChannelRoutes(settings, new WhatsAppSettings("123456", "wa-token", base, "v23.0"),
                new MarketplaceSettings(base, () -> "amz-token", Duration.ofSeconds(5)),
                new MarketplaceSettings(base, () -> "ebay-token", Duration.ofSeconds(5)),
                inbox::add, bounces::add, Clock.systemUTC()));
        camel.getShutdownStrategy().setTimeout(5);
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        camel.stop();
        stub.stop();
        mail.stop();
    }

    @BeforeEach
    void reset() throws Exception {
        mail.purgeEmailFromAllMailboxes();
        stub.resetAll();
        bounces.clear();
    }

    // ---- e-mail

    @Test
    void emailGoesOutAsTextAndHtmlWithOneClickUnsubscribeAndOurMessageId() throws Exception {
        EmailMessage m = new EmailMessage("msg-1", "ann@example.com", "Ann Lee", "Welcome, Ann — 欢迎",
                "<p>Hello <b>Ann</b></p>", "Hello Ann", Map.of(
                "List-Unsubscribe", "<https://shop.example/u/tok123>",
                "List-Unsubscribe-Post", "List-Unsubscribe=One-Click"));

        ChannelReceipt receipt = producer.requestBody(ChannelEndpoints.EMAIL, m, ChannelReceipt.class);

        assertThat(receipt.providerMessageId()).isEqualTo("<msg-1@shop.example>");
        assertThat(mail.waitForIncomingEmail(5000, 1)).isTrue();
        MimeMessage got = mail.getReceivedMessages()[0];
        assertThat(got.getSubject()).isEqualTo("Welcome, Ann — 欢迎");
        assertThat(got.getFrom()[0].toString()).contains("news@shop.example");
        assertThat(got.getAllRecipients()[0].toString()).contains("ann@example.com");
        assertThat(got.getMessageID()).isEqualTo("<msg-1@shop.example>");
        assertThat(got.getHeader("List-Unsubscribe")[0]).isEqualTo("<https://shop.example/u/tok123>");
        assertThat(got.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(got.getContentType()).startsWith("multipart/alternative");
        Multipart parts = (Multipart) got.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat(GreenMailUtil.getBody(parts.getBodyPart(1))).contains("<b>Ann</b>");
    }

    @Test
    void unreachableSmtpServerIsATransientFailure() throws Exception {
        CamelContext other = new DefaultCamelContext();
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        MailSettings settings = new MailSettings("127.0.0.1", closed, "news@shop.example", null, null, false, false,
                Duration.ofSeconds(2), Duration.ofSeconds(2), "caravan.test", null, null);
        other.addRoutes(new ChannelRoutes(settings, new WhatsAppSettings(null, null, "http://127.0.0.1", "v23.0"),
                new MarketplaceSettings("http://127.0.0.1", () -> "", Duration.ofSeconds(1)),
                new MarketplaceSettings("http://127.0.0.1", () -> "", Duration.ofSeconds(1)), x -> { }, null,
                Clock.systemUTC()));
        other.start();
        try {
            EmailMessage m = new EmailMessage("msg-2", "ann@example.com", null, "Hi", null, "Hi", Map.of());
            assertThatThrownBy(() -> other.createProducerTemplate().requestBody(ChannelEndpoints.EMAIL, m))
                    .satisfies(e -> assertThat(ChannelFailures.classify(e).kind()).isEqualTo(ChannelException.Kind.TRANSIENT));
            // an unconfigured WhatsApp channel fails permanently with a reason a person can act on
            assertThatThrownBy(() -> other.createProducerTemplate().requestBody(ChannelEndpoints.WHATSAPP,
                    new WhatsAppMessage("+4915112345678", "welcome", "en_US", List.of(), null)))
                    .satisfies(e -> {
                        ChannelException c = ChannelFailures.classify(e);
                        assertThat(c.kind()).isEqualTo(ChannelException.Kind.PERMANENT);
                        assertThat(c.getMessage()).contains("caravan.whatsapp.token");
                    });
        } finally {
            other.stop();
        }
    }

    @Test
    void bouncesArriveFromTheBounceMailboxWithTheOriginalMessageId() throws Exception {
        String dsn = String.join("\r\n",
                "From: MAILER-DAEMON@mx.example.net",
                "To: bounces@shop.example",
                "Subject: Undelivered Mail Returned to Sender",
                "MIME-Version: 1.0",
                "Content-Type: multipart/report; report-type=delivery-status; boundary=\"BOUND\"",
                "",
                "--BOUND",
                "Content-Type: text/plain",
                "",
                "Your message could not be delivered.",
                "--BOUND",
                "Content-Type: message/delivery-status",
                "",
                "Reporting-MTA: dns; mx.example.net",
                "",
                "Final-Recipient: rfc822; gone@example.net",
                "Action: failed",
                "Status: 5.1.1",
                "Diagnostic-Code: smtp; 550 5.1.1 user unknown",
                "--BOUND",
                "Content-Type: text/rfc822-headers",
                "",
                "Message-ID: <msg-77@shop.example>",
                "X-Caravan-Message-Id: msg-77",
                "Subject: Welcome",
                "--BOUND--",
                "");
        MimeMessage bounce = new MimeMessage(Session.getInstance(new java.util.Properties()),
                new ByteArrayInputStream(dsn.getBytes(StandardCharsets.US_ASCII)));
        mail.getUserManager().getUser("bounces").deliver(bounce);

        long deadline = System.currentTimeMillis() + 10_000;
        while (bounces.isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(50);

        assertThat(bounces).hasSize(1);
        MailBounce b = bounces.get(0);
        assertThat(b.messageId()).isEqualTo("msg-77");
        assertThat(b.recipient()).isEqualTo("gone@example.net");
        assertThat(b.status()).isEqualTo("5.1.1");
        assertThat(b.permanent()).isTrue();
        assertThat(b.diagnostic()).contains("user unknown");
    }

    // ---- in-site inbox

    @Test
    void inboxMessagesGoToTheSinkAndCountAsDelivered() {
        ChannelReceipt r = producer.requestBody(ChannelEndpoints.INBOX,
                new InboxMessage("msg-9", "c-1", "Hello", "Body", null, "welcome"), ChannelReceipt.class);
        assertThat(r.delivered()).isTrue();
        assertThat(inbox).extracting(InboxMessage::messageId).contains("msg-9");
    }

    // ---- WhatsApp (camel-whatsapp 4.18.0 on the 4.22 core)

    @Test
    void whatsAppTemplateRequestFollowsTheCloudApiContract() {
        assumeTrue(SpecContracts.specsDir().isPresent(), "../shared/specs is absent");
        SpecContracts wa = SpecContracts.whatsApp();
        String example = SpecContracts.json(wa.at("/paths/~1{Version}~1{Phone-Number-ID}~1messages/post/responses/200"
                + "/content/application~1json/examples/Example response/value"));
        assertThat(wa.validate("MessageResponsePayload", example)).isEmpty();
        stub.stubFor(post(urlPathEqualTo("/v23.0/123456/messages"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(example)));

        ChannelReceipt r = producer.requestBody(ChannelEndpoints.WHATSAPP,
                new WhatsAppMessage("+4915112345678", "welcome_offer", "zh_CN", List.of("Ann", "WELCOME10"), null),
                ChannelReceipt.class);

        assertThat(r.providerMessageId()).startsWith("wamid.");
        LoggedRequest sent = stub.findAll(postRequestedFor(urlPathMatching("/v23.0/.*"))).get(0);
        assertThat(wa.declares("POST", "/v23.0/123456/messages")).isTrue();
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer wa-token");
        assertThat(wa.validate("TemplateMessage", sent.getBodyAsString())).isEmpty();
        assertThat(sent.getBodyAsString()).contains("\"name\":\"welcome_offer\"", "\"code\":\"zh_CN\"",
                "\"text\":\"WELCOME10\"", "\"messaging_product\":\"whatsapp\"");
    }

    @Test
    void whatsAppTextRequestConformsAsWellAsTheContractsOwnExample() {
        assumeTrue(SpecContracts.specsDir().isPresent(), "../shared/specs is absent");
        SpecContracts wa = SpecContracts.whatsApp();
        stub.stubFor(post(urlPathEqualTo("/v23.0/123456/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.T1\"}]}")));

        producer.requestBody(ChannelEndpoints.WHATSAPP,
                new WhatsAppMessage("+4915112345678", null, null, List.of(), "Your parcel left today"), ChannelReceipt.class);

        String sent = stub.findAll(postRequestedFor(urlPathMatching("/v23.0/.*"))).get(0).getBodyAsString();
        // The contract's TextMessage puts additionalProperties:false beside allOf, so even its own "Send Text Message"
        // example fails that keyword; ours must fail nothing the official example does not.
        String official = SpecContracts.json(wa.at("/paths/~1{Version}~1{Phone-Number-ID}~1messages/post/requestBody"
                + "/content/application~1json/examples/Send Text Message/value"));
        List<String> officialErrors = wa.validate("TextMessage", official).stream().map(ChannelRoutesTest::keyword).toList();
        assertThat(wa.validate("TextMessage", sent)).allSatisfy(e -> assertThat(officialErrors).contains(keyword(e)));
        assertThat(sent).contains("\"type\":\"text\"", "\"body\":\"Your parcel left today\"");
    }

    private static String keyword(String error) {
        return error.replaceAll("'[^']*'", "").replaceAll("\\s+", " ");
    }

    @Test
    void whatsAppThrottlingIsTransientAndAnUnreachableNumberIsABounce() {
        stub.stubFor(post(urlPathEqualTo("/v23.0/123456/messages")).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"(#130429) Rate limit hit\",\"type\":\"OAuthException\",\"code\":130429}}")));
        assertThatThrownBy(() -> producer.requestBody(ChannelEndpoints.WHATSAPP,
                new WhatsAppMessage("+4915112345678", "welcome", "en_US", List.of(), null)))
                .satisfies(e -> {
                    ChannelException c = ChannelFailures.classify(e);
                    assertThat(c.kind()).isEqualTo(ChannelException.Kind.TRANSIENT);
                    assertThat(c.code()).isEqualTo("whatsapp-130429");
                });

        stub.stubFor(post(urlPathEqualTo("/v23.0/123456/messages")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Message undeliverable\",\"type\":\"OAuthException\",\"code\":131026}}")));
        assertThatThrownBy(() -> producer.requestBody(ChannelEndpoints.WHATSAPP,
                new WhatsAppMessage("+4915112345678", "welcome", "en_US", List.of(), null)))
                .satisfies(e -> assertThat(ChannelFailures.classify(e).kind()).isEqualTo(ChannelException.Kind.BOUNCE));
    }

    // ---- Amazon SP-API Messaging

    @Test
    void amazonMessageFollowsTheMessagingContract() {
        assumeTrue(SpecContracts.specsDir().isPresent(), "../shared/specs is absent");
        SpecContracts amazon = SpecContracts.amazonMessaging();
        assertThat(amazon.validate("CreateUnexpectedProblemResponse", "{}")).isEmpty();
        stub.stubFor(post(urlPathMatching("/messaging/v1/orders/.*/messages/unexpectedProblem"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withHeader("x-amzn-RequestId", "req-1").withBody("{}")));

        ChannelReceipt r = producer.requestBody(ChannelEndpoints.AMAZON, new AmazonMessage("123-1234567-1234567",
                "A1PA6795UKMFR9", "unexpectedProblem", "Your parcel is delayed by two days."), ChannelReceipt.class);

        assertThat(r.providerMessageId()).isEqualTo("req-1");
        LoggedRequest sent = stub.findAll(postRequestedFor(urlPathMatching("/messaging/.*"))).get(0);
        assertThat(amazon.declares("POST", sent.getUrl().replaceAll("\\?.*", ""))).isTrue();
        assertThat(sent.queryParameter("marketplaceIds").firstValue()).isEqualTo("A1PA6795UKMFR9");
        assertThat(sent.getHeader("x-amz-access-token")).isEqualTo("amz-token");
        assertThat(sent.getHeader("Content-Type")).startsWith("application/json");
        assertThat(amazon.validate("CreateUnexpectedProblemRequest", sent.getBodyAsString())).isEmpty();
    }

    @Test
    void amazonThrottlingHonoursRetryAfterAndBadInputIsPermanent() {
        assumeTrue(SpecContracts.specsDir().isPresent(), "../shared/specs is absent");
        SpecContracts amazon = SpecContracts.amazonMessaging();
        String errors = "{\"errors\":[{\"code\":\"QuotaExceeded\",\"message\":\"You exceeded your quota\"}]}";
        assertThat(amazon.validate("CreateUnexpectedProblemResponse", errors)).isEmpty();
        stub.stubFor(post(urlPathMatching("/messaging/v1/orders/.*/messages/unexpectedProblem"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")
                        .withHeader("Content-Type", "application/json").withBody(errors)));
        AmazonMessage m = new AmazonMessage("123-1234567-1234567", "A1PA6795UKMFR9", "unexpectedProblem", "Delayed.");
        assertThatThrownBy(() -> producer.requestBody(ChannelEndpoints.AMAZON, m)).satisfies(e -> {
            ChannelException c = ChannelFailures.classify(e);
            assertThat(c.kind()).isEqualTo(ChannelException.Kind.TRANSIENT);
            assertThat(c.retryAfter()).isEqualTo(Duration.ofSeconds(7));
            assertThat(c.getMessage()).contains("QuotaExceeded");
        });

        String invalid = "{\"errors\":[{\"code\":\"InvalidInput\",\"message\":\"Invalid Input\",\"details\":\"\"}]}";
        assertThat(amazon.validate("CreateUnexpectedProblemResponse", invalid)).isEmpty();
        stub.stubFor(post(urlPathMatching("/messaging/v1/orders/.*/messages/unexpectedProblem"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(invalid)));
        assertThatThrownBy(() -> producer.requestBody(ChannelEndpoints.AMAZON, m))
                .satisfies(e -> assertThat(ChannelFailures.classify(e).kind()).isEqualTo(ChannelException.Kind.PERMANENT));
    }

    @Test
    void amazonRefusesMessageTypesOutsideThePermittedList() {
        assertThatThrownBy(() -> producer.requestBody(ChannelEndpoints.AMAZON,
                new AmazonMessage("123-1234567-1234567", "A1PA6795UKMFR9", "promotion", "Buy more!")))
                .isInstanceOf(CamelExecutionException.class)
                .satisfies(e -> assertThat(ChannelFailures.classify(e).code()).isEqualTo("message-type"));
        assertThat(stub.getAllServeEvents()).isEmpty();
    }

    // ---- eBay message API

    @Test
    void ebayMessageFollowsTheMessageContract() {
        assumeTrue(SpecContracts.specsDir().isPresent(), "../shared/specs is absent");
        SpecContracts ebay = SpecContracts.ebayMessage();
        String response = "{\"messageId\":\"m-123\",\"messageBody\":\"Thanks for your order\",\"createdDate\":"
                + "\"2026-11-23T10:00:00.000Z\",\"readStatus\":false,\"recipientUserName\":\"buyer_1\","
                + "\"senderUserName\":\"shop\"}";
        assertThat(ebay.validate("SendMessageResponse", response)).isEmpty();
        stub.stubFor(post(urlPathEqualTo("/commerce/message/v1/send_message")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(response)));

        ChannelReceipt r = producer.requestBody(ChannelEndpoints.EBAY,
                new EbayMessage(null, "buyer_1", "Thanks for your order", "110553000000"), ChannelReceipt.class);

        assertThat(r.providerMessageId()).isEqualTo("m-123");
        LoggedRequest sent = stub.findAll(postRequestedFor(urlPathEqualTo("/commerce/message/v1/send_message"))
                .withHeader("Authorization", equalTo("Bearer ebay-token"))).get(0);
        assertThat(ebay.declares("POST", "/send_message")).isTrue();
        assertThat(ebay.validate("SendMessageRequest", sent.getBodyAsString())).isEmpty();
        assertThat(sent.getBodyAsString()).contains("\"otherPartyUsername\":\"buyer_1\"", "\"referenceType\":\"LISTING\"");
    }
}
