package dev.caravan.integrations.channel;

import java.time.Duration;

/**
 * SMTP settings for the e-mail channel and the optional bounce mailbox.
 *
 * @param from           sender, e.g. {@code Shop <news@shop.example>}
 * @param username       null or blank for an unauthenticated relay
 * @param starttls       upgrade the connection with STARTTLS (required when true)
 * @param ssl            connect with implicit TLS ({@code smtps})
 * @param heloName       the name sent in EHLO/HELO (avoids a reverse lookup of the local host)
 * @param messageIdDomain the right-hand side of generated Message-IDs
 * @param bounces        where delivery status notifications arrive; null or disabled to skip polling
 */
public record MailSettings(String host, int port, String from, String username, String password, boolean starttls,
                           boolean ssl, Duration connectionTimeout, Duration timeout, String heloName,
                           String messageIdDomain, BounceMailbox bounces) {

    /**
     * A mailbox read over IMAP or POP3 for bounces (DSNs, RFC 3464).
     *
     * @param protocol {@code imap}, {@code imaps}, {@code pop3} or {@code pop3s}
     */
    public record BounceMailbox(boolean enabled, String protocol, String host, int port, String username,
                                String password, String folder, Duration pollInterval) {
    }

    boolean hasCredentials() {
        return username != null && !username.isBlank();
    }
}
