package dev.caravan.integrations.channel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;

/**
 * Reads delivery status notifications (RFC 3464, {@code multipart/report; report-type=delivery-status}): the first
 * recipient's action and status, and the original message's id from its returned headers. Mail that is not a DSN
 * but quotes an {@code X-Caravan-Message-Id} and a 5.x.x status (some servers send plain-text bounces) is read too.
 */
public final class BounceParser {

    private static final Pattern OUR_ID = Pattern.compile("(?im)^" + MimeMessages.MESSAGE_ID_HEADER + ":\\s*(\\S+)");
    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*<([^@>]+)@[^>]*>");
    private static final Pattern STATUS = Pattern.compile("(?im)^Status:\\s*([245]\\.\\d{1,3}\\.\\d{1,3})");
    private static final Pattern ACTION = Pattern.compile("(?im)^Action:\\s*(\\S+)");
    private static final Pattern RECIPIENT = Pattern.compile("(?im)^(?:Final|Original)-Recipient:\\s*[^;]*;\\s*(\\S+)");
    private static final Pattern DIAGNOSTIC = Pattern.compile("(?im)^Diagnostic-Code:\\s*(.+)$");
    private static final Pattern LOOSE_STATUS = Pattern.compile("\\b([45]\\.\\d{1,3}\\.\\d{1,3})\\b");

    private BounceParser() {
    }

    public static Optional<MailBounce> parse(Message message) {
        try {
            StringBuilder status = new StringBuilder();
            StringBuilder original = new StringBuilder();
            StringBuilder all = new StringBuilder();
            collect(message, status, original, all);
            String statusText = status.length() > 0 ? status.toString() : all.toString();
            String originalText = original.length() > 0 ? original.toString() : all.toString();
            String id = first(OUR_ID, originalText);
            if (id == null) id = first(MESSAGE_ID, originalText);
            if (id == null) id = first(OUR_ID, all.toString());
            if (id == null) {
                return Optional.empty();
            }
            String code = first(STATUS, statusText);
            if (code == null) code = first(LOOSE_STATUS, statusText);
            String action = first(ACTION, statusText);
            boolean permanent = code != null ? code.startsWith("5")
                    : action != null && action.toLowerCase(Locale.ROOT).equals("failed");
            if (code == null && action == null) {
                return Optional.empty();
            }
            return Optional.of(new MailBounce(id, first(RECIPIENT, statusText), action, code, permanent,
                    first(DIAGNOSTIC, statusText)));
        } catch (MessagingException | IOException e) {
            return Optional.empty();
        }
    }

    private static void collect(Part part, StringBuilder status, StringBuilder original, StringBuilder all)
            throws MessagingException, IOException {
        String type = part.getContentType() == null ? "" : part.getContentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                collect(child, status, original, all);
            }
            return;
        }
        if (type.startsWith("message/rfc822")) {
            Object content = part.getContent();
            if (content instanceof Message m) {
                StringBuilder headers = new StringBuilder();
                var names = m.getAllHeaders();
                while (names.hasMoreElements()) {
                    var h = names.nextElement();
                    headers.append(h.getName()).append(": ").append(h.getValue()).append('\n');
                }
                original.append(headers);
                all.append(headers);
                return;
            }
        }
        String text = text(part);
        all.append(text).append('\n');
        if (type.startsWith("message/delivery-status")) {
            status.append(text).append('\n');
        } else if (type.startsWith("text/rfc822-headers")) {
            original.append(text).append('\n');
        }
    }

    private static String text(Part part) throws MessagingException, IOException {
        Object content = part.getContent();
        if (content instanceof String s) {
            return s;
        }
        if (content instanceof InputStream in) {
            try (in) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                return out.toString(StandardCharsets.UTF_8);
            }
        }
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1).trim() : null;
    }
}
