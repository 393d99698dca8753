package dev.caravan.integrations.channel;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;

/** Builds the MIME form of an {@link EmailMessage}: multipart/alternative (plain text, then HTML), UTF-8. */
public final class MimeMessages {

    /** Carries the server's message id so bounces can be matched even when a relay rewrites Message-ID. */
    public static final String MESSAGE_ID_HEADER = "X-Caravan-Message-Id";

    private final Session session = Session.getInstance(new Properties());
    private final InternetAddress from;
    private final String domain;

    public MimeMessages(String from, String messageIdDomain) {
        try {
            this.from = new InternetAddress(from, true);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("caravan.mail.from '" + from + "' is not an e-mail address", e);
        }
        String d = messageIdDomain;
        if (d == null || d.isBlank()) {
            String address = this.from.getAddress();
            d = address.substring(address.indexOf('@') + 1);
        }
        this.domain = d;
    }

    public String messageIdOf(String id) {
        return "<" + id + "@" + domain + ">";
    }

    public MimeMessage build(EmailMessage mail) {
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(from);
            m.setRecipient(Message.RecipientType.TO, mail.toName() == null || mail.toName().isBlank()
                    ? new InternetAddress(mail.to(), true)
                    : new InternetAddress(mail.to(), mail.toName(), StandardCharsets.UTF_8.name()));
            m.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
            MimeMultipart alternative = new MimeMultipart("alternative");
            if (mail.text() != null && !mail.text().isBlank()) {
                MimeBodyPart text = new MimeBodyPart();
                text.setText(mail.text(), StandardCharsets.UTF_8.name(), "plain");
                alternative.addBodyPart(text);
            }
            if (mail.html() != null && !mail.html().isBlank()) {
                MimeBodyPart html = new MimeBodyPart();
                html.setText(mail.html(), StandardCharsets.UTF_8.name(), "html");
                alternative.addBodyPart(html);
            }
            if (alternative.getCount() == 0) {
                throw ChannelException.permanent("empty", "the e-mail has neither text nor HTML");
            }
            m.setContent(alternative);
            for (Map.Entry<String, String> h : mail.headers().entrySet()) {
                m.setHeader(h.getKey(), MimeUtility.fold(h.getKey().length() + 2, h.getValue()));
            }
            if (mail.messageId() != null) {
                m.setHeader(MESSAGE_ID_HEADER, mail.messageId());
                m.setHeader("Message-ID", messageIdOf(mail.messageId()));
            }
            return m;
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw ChannelException.permanent("invalid-mail", "cannot build the e-mail: " + e.getMessage());
        }
    }
}
