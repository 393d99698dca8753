package dev.caravan.integrations.channel;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.mail.MailConstants;
import org.apache.camel.component.whatsapp.model.Component;
import org.apache.camel.component.whatsapp.model.Language;
import org.apache.camel.component.whatsapp.model.MessageResponse;
import org.apache.camel.component.whatsapp.model.Parameter;
import org.apache.camel.component.whatsapp.model.TemplateMessage;
import org.apache.camel.component.whatsapp.model.TemplateMessageRequest;
import org.apache.camel.component.whatsapp.model.TextMessage;
import org.apache.camel.component.whatsapp.model.TextMessageRequest;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One route per message channel, each behind a {@code direct:} endpoint of {@link ChannelEndpoints}:
 * <ul>
 *   <li>e-mail: {@link EmailMessage} → MIME (text + HTML, fixed Message-ID) → camel-mail {@code smtp(s)://}</li>
 *   <li>WhatsApp: {@link WhatsAppMessage} → template or text request → camel-whatsapp (Cloud API)</li>
 *   <li>Amazon: {@link AmazonMessage} → camel-http {@code POST /messaging/v1/orders/{id}/messages/{type}}</li>
 *   <li>eBay: {@link EbayMessage} → camel-http {@code POST /commerce/message/v1/send_message}</li>
 *   <li>inbox: {@link InboxMessage} → the server's {@link InboxSink}</li>
 *   <li>bounces (optional): IMAP/POP3 mailbox → {@link BounceParser} → {@link BounceSink}</li>
 * </ul>
 * Every route answers with a {@link ChannelReceipt}, or fails with an exception for
 * {@link ChannelFailures#classify(Throwable)}. Options go into the endpoint URIs (there are no Spring Boot starters
 * for these components at Camel 4.22); secrets are wrapped in {@code RAW()}.
 */
public class ChannelRoutes extends RouteBuilder {

    private static final Logger log = LoggerFactory.getLogger(ChannelRoutes.class);

    /** Exchange property naming the provider in error messages. */
    static final String PROVIDER = "caravanProvider";

    private final MailSettings mail;
    private final WhatsAppSettings whatsApp;
    private final MarketplaceSettings amazon;
    private final MarketplaceSettings ebay;
    private final InboxSink inbox;
    private final BounceSink bounces;
    private final Clock clock;

    public ChannelRoutes(MailSettings mail, WhatsAppSettings whatsApp, MarketplaceSettings amazon,
                         MarketplaceSettings ebay, InboxSink inbox, BounceSink bounces, Clock clock) {
        this.mail = mail;
        this.whatsApp = whatsApp;
        this.amazon = amazon;
        this.ebay = ebay;
        this.inbox = inbox;
        this.bounces = bounces;
        this.clock = clock;
    }

    @Override
    public void configure() {
        // Failures go back to the caller, which classifies them and schedules retries in its durable outbox.
        errorHandler(noErrorHandler());
        emailRoute();
        whatsAppRoute();
        httpTimeouts();
        amazonRoute();
        ebayRoute();
        from(ChannelEndpoints.INBOX).routeId("caravan-channel-inbox")
                .process(e -> {
                    InboxMessage m = e.getIn().getBody(InboxMessage.class);
                    inbox.deliver(m);
                    e.getMessage().setBody(new ChannelReceipt(m.messageId(), true));
                });
        bounceRoute();
    }

    // ---- e-mail

    private void emailRoute() {
        MimeMessages mimes = new MimeMessages(mail.from(), mail.messageIdDomain());
        Properties extra = new Properties();
        String helo = mail.heloName() == null || mail.heloName().isBlank() ? "localhost" : mail.heloName();
        String protocol = mail.ssl() ? "smtps" : "smtp";
        extra.put("mail." + protocol + ".localhost", helo);
        extra.put("mail." + protocol + ".timeout", String.valueOf(mail.timeout().toMillis()));
        extra.put("mail." + protocol + ".writetimeout", String.valueOf(mail.timeout().toMillis()));
        if (mail.starttls()) {
            extra.put("mail.smtp.starttls.enable", "true");
            extra.put("mail.smtp.starttls.required", "true");
        }
        getContext().getRegistry().bind("caravanMailProperties", extra);
        PooledJavaMailSender sender = new PooledJavaMailSender(100, 10_000);
        getContext().getRegistry().bind("caravanMailSender", sender);
        getContext().addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStopped(org.apache.camel.CamelContext context) {
                sender.closeAll();
            }
        });
        StringBuilder uri = new StringBuilder(protocol).append("://").append(mail.host()).append(':').append(mail.port())
                .append("?connectionTimeout=").append(mail.connectionTimeout().toMillis())
                .append("&additionalJavaMailProperties=#caravanMailProperties&javaMailSender=#caravanMailSender");
        if (mail.hasCredentials()) {
            uri.append("&username=RAW(").append(mail.username()).append(")&password=RAW(")
                    .append(mail.password() == null ? "" : mail.password()).append(')');
        }
        from(ChannelEndpoints.EMAIL).routeId("caravan-channel-email")
                .process(e -> e.getIn().setBody(mimes.build(e.getIn().getBody(EmailMessage.class))))
                .to(uri.toString())
                .process(e -> e.getMessage().setBody(new ChannelReceipt(
                        e.getMessage().getHeader(MailConstants.MAIL_MESSAGE_ID, String.class), false)));
    }

    private void bounceRoute() {
        MailSettings.BounceMailbox box = mail.bounces();
        if (box == null || !box.enabled() || bounces == null) {
            return;
        }
        StringBuilder uri = new StringBuilder(box.protocol()).append("://").append(box.host()).append(':')
                .append(box.port()).append("?username=RAW(").append(box.username()).append(")&password=RAW(")
                .append(box.password() == null ? "" : box.password()).append(")&folderName=")
                .append(box.folder() == null || box.folder().isBlank() ? "INBOX" : box.folder())
                .append("&delete=true&unseen=true&mapMailMessage=false&initialDelay=1000&delay=")
                .append(box.pollInterval().toMillis());
        from(uri.toString()).routeId("caravan-mail-bounces")
                .process(e -> {
                    jakarta.mail.Message raw = e.getIn().getBody(jakarta.mail.Message.class);
                    if (raw == null) {
                        return;
                    }
                    BounceParser.parse(raw).ifPresentOrElse(bounces::bounced,
                            () -> log.info("Ignored a mail in the bounce mailbox that is not a bounce of ours"));
                });
    }

    // ---- WhatsApp

    private void whatsAppRoute() {
        if (!whatsApp.configured()) {
            from(ChannelEndpoints.WHATSAPP).routeId("caravan-channel-whatsapp")
                    .throwException(ChannelException.permanent("not-configured",
                            "WhatsApp is not configured: set caravan.whatsapp.phone-number-id and caravan.whatsapp.token"));
            return;
        }
        String uri = "whatsapp:" + whatsApp.phoneNumberId() + "?authorizationToken=RAW(" + whatsApp.token()
                + ")&baseUri=RAW(" + stripSlash(whatsApp.baseUri()) + ")&apiVersion=" + whatsApp.apiVersion();
        from(ChannelEndpoints.WHATSAPP).routeId("caravan-channel-whatsapp")
                .process(e -> e.getIn().setBody(whatsAppRequest(e.getIn().getBody(WhatsAppMessage.class))))
                .to(uri)
                .process(e -> {
                    MessageResponse r = e.getMessage().getBody(MessageResponse.class);
                    String id = r == null || r.getMessages() == null || r.getMessages().isEmpty() ? null
                            : r.getMessages().get(0).getId();
                    e.getMessage().setBody(new ChannelReceipt(id, false));
                });
    }

    static Object whatsAppRequest(WhatsAppMessage m) {
        if (m.to() == null || m.to().isBlank()) {
            throw ChannelException.permanent("no-recipient", "the WhatsApp message has no phone number");
        }
        if (m.isTemplate()) {
            TemplateMessageRequest request = new TemplateMessageRequest();
            request.setTo(m.to());
            TemplateMessage template = new TemplateMessage();
            template.setName(m.templateName());
            Language language = new Language();
            language.setCode(m.languageCode());
            template.setLanguage(language);
            if (!m.bodyParams().isEmpty()) {
                Component body = new Component();
                body.setType("body");
                body.setParameters(m.bodyParams().stream().map(v -> {
                    Parameter p = new Parameter();
                    p.setType("text");
                    p.setText(v == null ? "" : v);
                    return p;
                }).toList());
                template.setComponents(List.of(body));
            }
            request.setTemplate(template);
            return request;
        }
        if (m.text() == null || m.text().isBlank()) {
            throw ChannelException.permanent("empty", "the WhatsApp message has neither template nor text");
        }
        TextMessageRequest request = new TextMessageRequest();
        request.setTo(m.to());
        TextMessage text = new TextMessage();
        text.setBody(m.text());
        request.setText(text);
        return request;
    }

    // ---- marketplaces (camel-http)

    private void httpTimeouts() {
        for (String scheme : List.of("http", "https")) {
            HttpComponent http = getContext().getComponent(scheme, HttpComponent.class);
            long timeout = Math.max(amazon.timeout().toMillis(), ebay.timeout().toMillis());
            http.setConnectTimeout(Math.min(timeout, 10_000));
            http.setResponseTimeout(timeout);
            http.setSoTimeout(timeout);
            // Apache HttpClient would otherwise retry 429/503 itself, holding the caller's thread for Retry-After
            http.setAutomaticRetriesDisabled(true);
        }
    }

    private void amazonRoute() {
        from(ChannelEndpoints.AMAZON).routeId("caravan-channel-amazon")
                .process(e -> {
                    AmazonMessage m = e.getIn().getBody(AmazonMessage.class);
                    if (m.amazonOrderId() == null || m.amazonOrderId().isBlank()
                            || m.marketplaceId() == null || m.marketplaceId().isBlank()) {
                        throw ChannelException.permanent("no-order", "an Amazon message needs the Amazon order id and marketplace id");
                    }
                    if (!AmazonMessage.TEXT_MESSAGE_TYPES.contains(m.messageType())) {
                        throw ChannelException.permanent("message-type", "'" + m.messageType()
                                + "' is not an Amazon text message type " + AmazonMessage.TEXT_MESSAGE_TYPES);
                    }
                    JsonObject body = new JsonObject();
                    body.put("text", m.text());
                    Message in = prepareHttp(e, "Amazon SP-API");
                    in.setHeader(Exchange.HTTP_PATH, "/messaging/v1/orders/" + encode(m.amazonOrderId())
                            + "/messages/" + m.messageType());
                    in.setHeader(Exchange.HTTP_QUERY, "marketplaceIds=" + encode(m.marketplaceId()));
                    in.setHeader("x-amz-access-token", amazon.accessToken().get());
                    in.setBody(body.toJson());
                })
                .to(stripSlash(amazon.baseUri()) + "?throwExceptionOnFailure=false")
                .process(e -> {
                    checkHttp(e);
                    e.getMessage().setBody(new ChannelReceipt(e.getMessage().getHeader("x-amzn-RequestId", String.class), false));
                });
    }

    private void ebayRoute() {
        from(ChannelEndpoints.EBAY).routeId("caravan-channel-ebay")
                .process(e -> {
                    EbayMessage m = e.getIn().getBody(EbayMessage.class);
                    JsonObject body = new JsonObject();
                    if (m.conversationId() != null && !m.conversationId().isBlank()) {
                        body.put("conversationId", m.conversationId());
                    } else if (m.otherPartyUsername() != null && !m.otherPartyUsername().isBlank()) {
                        body.put("otherPartyUsername", m.otherPartyUsername());
                    } else {
                        throw ChannelException.permanent("no-recipient",
                                "an eBay message needs a conversation id or the buyer's eBay user name");
                    }
                    body.put("messageText", m.text());
                    if (m.listingId() != null && !m.listingId().isBlank()) {
                        JsonObject reference = new JsonObject();
                        reference.put("referenceId", m.listingId());
                        reference.put("referenceType", "LISTING");
                        body.put("reference", reference);
                    }
                    Message in = prepareHttp(e, "eBay message API");
                    in.setHeader(Exchange.HTTP_PATH, "/commerce/message/v1/send_message");
                    in.setHeader("Authorization", "Bearer " + ebay.accessToken().get());
                    in.setBody(body.toJson());
                })
                .to(stripSlash(ebay.baseUri()) + "?throwExceptionOnFailure=false")
                .process(e -> {
                    String response = checkHttp(e);
                    String id = null;
                    if (response != null && !response.isBlank()) {
                        try {
                            Object parsed = Jsoner.deserialize(response);
                            if (parsed instanceof JsonObject o) id = o.getString("messageId");
                        } catch (Exception ignored) {
                            // an unreadable 201 body still means the message was created
                        }
                    }
                    e.getMessage().setBody(new ChannelReceipt(id, false));
                });
    }

    private static Message prepareHttp(Exchange e, String provider) {
        e.setProperty(PROVIDER, provider);
        Message in = e.getIn();
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader("Accept", "application/json");
        return in;
    }

    /** Throws a classified {@link ChannelException} unless the answer is 2xx; returns the response body. */
    private String checkHttp(Exchange e) {
        Message out = e.getMessage();
        int status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = out.getBody(String.class);
        if (status >= 200 && status < 300) {
            return body;
        }
        String retryAfter = out.getHeader("Retry-After", String.class);
        throw ChannelFailures.http(e.getProperty(PROVIDER, "HTTP API", String.class), status, retryAfter, body, clock);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String stripSlash(String s) {
        String t = s.trim();
        return t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
    }

    /** A short description of the settings for the startup log (no secrets). */
    public String describe() {
        return String.format(Locale.ROOT, "e-mail via %s:%d, WhatsApp %s, Amazon %s, eBay %s, bounces %s",
                mail.host(), mail.port(), whatsApp.configured() ? "phone " + whatsApp.phoneNumberId() : "not configured",
                amazon.baseUri(), ebay.baseUri(),
                mail.bounces() != null && mail.bounces().enabled() ? "polled" : "off");
    }

    static Duration orDefault(Duration d, Duration fallback) {
        return d == null ? fallback : d;
    }
}
