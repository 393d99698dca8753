package dev.caravan.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import dev.caravan.connector.ConnectionRequest;
import org.junit.jupiter.api.Test;

/** Channel credentials and marketplace tokens never appear in toString (and so in logs). */
class SecretsMaskedTest {

    @Test
    void configurationAndRequestsPrintNoSecrets() {
        String wa = new WhatsAppProperties("123", "EAAG-token", "https://graph.facebook.com", "v23.0", "app-secret-1",
                "verify-1").toString();
        assertThat(wa).contains("123").doesNotContain("EAAG-token", "app-secret-1", "verify-1");
        String mail = new MailProperties("smtp", 25, "a@b.c", "user", "mail-pass-1", false, false, Duration.ofSeconds(1),
                Duration.ofSeconds(1), "h", null, new MailProperties.Bounce(true, "imap", "imap", 143, "u", "bounce-pass-1",
                "INBOX", Duration.ofSeconds(60))).toString();
        assertThat(mail).contains("smtp").doesNotContain("mail-pass-1", "bounce-pass-1");
        String mp = new MessagingProperties.Marketplace("https://x", "Atza|access-1", "client", "client-secret-1",
                "Atzr|refresh-1", null, null, null, Duration.ofSeconds(20)).toString();
        assertThat(mp).contains("client").doesNotContain("Atza|access-1", "client-secret-1", "Atzr|refresh-1");
        String req = new ConnectionRequest("amazon", "A", true, Map.of(), Map.of("refreshToken", "Atzr|refresh-2"), null,
                null, null, null).toString();
        assertThat(req).contains("refreshToken").doesNotContain("Atzr|refresh-2");
    }
}
