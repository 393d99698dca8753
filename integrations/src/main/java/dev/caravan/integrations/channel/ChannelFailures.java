package dev.caravan.integrations.channel;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Sorts channel errors into transient (retry with backoff), permanent (give up, keep the reason) and bounce (the
 * address is bad). SMTP: 4xx replies, refused connections and timeouts are transient; a 5xx reply to a recipient is a
 * bounce; other 5xx are permanent. HTTP: 408, 425, 429 and 5xx are transient (Retry-After honoured); 401 is transient
 * (a credential can be renewed); other 4xx are permanent.
 */
public final class ChannelFailures {

    private static final Pattern HTTP_STATUS = Pattern.compile("responded: (\\d{3})");
    private static final Pattern GRAPH_CODE = Pattern.compile("\"code\"\\s*:\\s*(\\d+)");
    /** WhatsApp Cloud API error codes worth retrying later: throttling and temporary service errors. */
    private static final Set<Integer> WHATSAPP_TRANSIENT = Set.of(1, 2, 4, 80007, 130429, 131000, 131016, 131048,
            131056, 133004);
    /** WhatsApp error codes that mean the recipient cannot receive WhatsApp messages. */
    private static final Set<Integer> WHATSAPP_UNREACHABLE = Set.of(131026, 131030);

    private ChannelFailures() {
    }

    public static ChannelException classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ChannelException ce) {
                return ce;
            }
        }
        ChannelException smtp = smtp(error);
        if (smtp != null) {
            return smtp;
        }
        ChannelException whatsapp = whatsApp(error);
        if (whatsapp != null) {
            return whatsapp;
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof SocketTimeoutException
                    || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                    || t instanceof HttpTimeoutException || t instanceof java.io.IOException) {
                return new ChannelException(ChannelException.Kind.TRANSIENT, "io", describe(t), null, error);
            }
        }
        return new ChannelException(ChannelException.Kind.PERMANENT, "error", describe(error), null, error);
    }

    /** The exception for an HTTP answer that was not 2xx. */
    public static ChannelException http(String provider, int status, String retryAfterHeader, String body, Clock clock) {
        String detail = provider + " answered HTTP " + status + (body == null || body.isBlank() ? ""
                : ": " + abbreviate(body.strip(), 500));
        String code = "http-" + status;
        if (status == 408 || status == 425 || status == 429 || status >= 500 || status == 401) {
            return new ChannelException(ChannelException.Kind.TRANSIENT, code, detail,
                    retryAfter(retryAfterHeader, clock), null);
        }
        return new ChannelException(ChannelException.Kind.PERMANENT, code, detail, null, null);
    }

    /**
     * Parses an HTTP {@code Retry-After} value: delay-seconds or an HTTP date. Null when absent or unreadable.
     */
    public static Duration retryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException ignored) {
                return null;
            }
        }
    }

    private static ChannelException smtp(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthenticationFailedException) {
                return new ChannelException(ChannelException.Kind.TRANSIENT, "smtp-auth",
                        "SMTP authentication failed: " + t.getMessage(), null, error);
            }
            if (t instanceof SendFailedException sfe) {
                SMTPAddressFailedException address = addressFailure(sfe);
                if (address != null) {
                    int code = address.getReturnCode();
                    return new ChannelException(code >= 500 ? ChannelException.Kind.BOUNCE : ChannelException.Kind.TRANSIENT,
                            "smtp-" + code, "recipient " + address.getAddress() + " rejected: "
                            + oneLine(address.getMessage()), null, error);
                }
                if (sfe instanceof SMTPSendFailedException s) {
                    return smtpReply(s.getReturnCode(), s.getMessage(), error);
                }
            }
            if (t instanceof MessagingException me && me.getNextException() instanceof SMTPSendFailedException s) {
                return smtpReply(s.getReturnCode(), s.getMessage(), error);
            }
        }
        return null;
    }

    private static SMTPAddressFailedException addressFailure(SendFailedException sfe) {
        Exception next = sfe;
        while (next instanceof MessagingException me) {
            if (me instanceof SMTPAddressFailedException a) {
                return a;
            }
            Exception n = me.getNextException();
            if (n == next) break;
            next = n;
        }
        return null;
    }

    private static ChannelException smtpReply(int code, String message, Throwable error) {
        ChannelException.Kind kind = code >= 400 && code < 500 ? ChannelException.Kind.TRANSIENT
                : ChannelException.Kind.PERMANENT;
        return new ChannelException(kind, "smtp-" + code, "SMTP " + code + ": " + oneLine(message), null, error);
    }

    private static ChannelException whatsApp(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m == null) continue;
            Matcher status = HTTP_STATUS.matcher(m);
            if (!status.find()) continue;
            int http = Integer.parseInt(status.group(1));
            Matcher graph = GRAPH_CODE.matcher(m);
            Integer code = graph.find() ? Integer.valueOf(graph.group(1)) : null;
            String body = m.contains("and body: ") ? m.substring(m.indexOf("and body: ") + 10) : m;
            String detail = "WhatsApp answered HTTP " + http + ": " + abbreviate(body, 500);
            String c = code == null ? "http-" + http : "whatsapp-" + code;
            if (code != null && WHATSAPP_UNREACHABLE.contains(code)) {
                return new ChannelException(ChannelException.Kind.BOUNCE, c, detail, null, error);
            }
            if (http == 429 || http >= 500 || http == 401 || (code != null && WHATSAPP_TRANSIENT.contains(code))) {
                return new ChannelException(ChannelException.Kind.TRANSIENT, c, detail, null, error);
            }
            return new ChannelException(ChannelException.Kind.PERMANENT, c, detail, null, error);
        }
        return null;
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + oneLine(t.getMessage()));
    }

    private static String oneLine(String s) {
        return s == null ? "" : abbreviate(s.replaceAll("\\s+", " ").trim(), 500);
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
