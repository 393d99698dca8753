package dev.caravan.integrations.channel;

import java.util.Map;

/**
 * One e-mail: HTML with a plain-text alternative.
 *
 * @param messageId the caller's id; becomes the {@code Message-ID} ({@code <messageId@domain>}) so bounces and
 *                  replies can be matched, and a resend after a crash carries the same id
 * @param headers   extra headers, e.g. {@code List-Unsubscribe} and {@code List-Unsubscribe-Post} (RFC 8058)
 */
public record EmailMessage(String messageId, String to, String toName, String subject, String html, String text,
                           Map<String, String> headers) {

    public EmailMessage {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
