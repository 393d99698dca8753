package dev.caravan.messaging;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * SMTP settings ({@code caravan.mail.*}, e.g. {@code CARAVAN_MAIL_HOST}); credentials only when the relay needs them.
 *
 * @param starttls        require STARTTLS
 * @param ssl             implicit TLS (smtps, usually port 465)
 * @param heloName        name announced in EHLO
 * @param messageIdDomain right-hand side of Message-IDs; default the sender's domain
 * @param bounce          mailbox where bounces (DSNs) arrive, read over IMAP/POP3
 */
@ConfigurationProperties("caravan.mail")
public record MailProperties(
        @DefaultValue("localhost") String host,
        @DefaultValue("25") int port,
        @DefaultValue("Caravan <no-reply@localhost>") String from,
        String username,
        String password,
        @DefaultValue("false") boolean starttls,
        @DefaultValue("false") boolean ssl,
        @DefaultValue("10s") Duration connectionTimeout,
        @DefaultValue("30s") Duration timeout,
        @DefaultValue("localhost") String heloName,
        String messageIdDomain,
        @DefaultValue Bounce bounce) {

    /** @param protocol imap, imaps, pop3 or pop3s */
    public record Bounce(@DefaultValue("false") boolean enabled, @DefaultValue("imap") String protocol, String host,
                         @DefaultValue("143") int port, String username, String password,
                         @DefaultValue("INBOX") String folder, @DefaultValue("60s") Duration pollInterval) {

        @Override
        public String toString() { // never the password (security.Masked)
            return "Bounce[enabled=" + enabled + ", protocol=" + protocol + ", host=" + host + ", port=" + port
                    + ", username=" + username + ", password=" + dev.caravan.security.Masked.of(password) + ", folder="
                    + folder + ", pollInterval=" + pollInterval + "]";
        }
    }

    @Override
    public String toString() { // never the password (security.Masked)
        return "MailProperties[host=" + host + ", port=" + port + ", from=" + from + ", username=" + username
                + ", password=" + dev.caravan.security.Masked.of(password) + ", starttls=" + starttls + ", ssl=" + ssl
                + ", bounce=" + bounce + "]";
    }
}
