package dev.caravan.integrations.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

class ChannelFailuresTest {

    @Test
    void smtp4xxIsTransientAnd5xxPermanent() throws Exception {
        SMTPSendFailedException greylisted = new SMTPSendFailedException("DATA", 451,
                "451 4.7.1 greylisted, try again later", null, null, null, null);
        assertThat(ChannelFailures.classify(new MessagingException("send", greylisted)).kind())
                .isEqualTo(ChannelException.Kind.TRANSIENT);
        assertThat(ChannelFailures.classify(greylisted).code()).isEqualTo("smtp-451");

        SMTPSendFailedException rejected = new SMTPSendFailedException("DATA", 554,
                "554 5.7.1 message rejected as spam", null, null, null, null);
        assertThat(ChannelFailures.classify(rejected).kind()).isEqualTo(ChannelException.Kind.PERMANENT);
    }

    @Test
    void rejectedRecipientIsABounce() throws Exception {
        SMTPAddressFailedException unknown = new SMTPAddressFailedException(new InternetAddress("gone@example.net"),
                "RCPT TO", 550, "550 5.1.1 user unknown");
        SendFailedException send = new SendFailedException("Invalid Addresses", unknown);
        ChannelException c = ChannelFailures.classify(send);
        assertThat(c.kind()).isEqualTo(ChannelException.Kind.BOUNCE);
        assertThat(c.getMessage()).contains("gone@example.net");

        SMTPAddressFailedException full = new SMTPAddressFailedException(new InternetAddress("full@example.net"),
                "RCPT TO", 452, "452 4.2.2 mailbox full");
        assertThat(ChannelFailures.classify(new SendFailedException("Invalid Addresses", full)).kind())
                .isEqualTo(ChannelException.Kind.TRANSIENT);
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
        assertThat(ChannelFailures.retryAfter("120", clock)).isEqualTo(Duration.ofMinutes(2));
        assertThat(ChannelFailures.retryAfter("Mon, 23 Nov 2026 10:00:30 GMT", clock)).isEqualTo(Duration.ofSeconds(30));
        assertThat(ChannelFailures.retryAfter("soon", clock)).isNull();
        ChannelException c = ChannelFailures.http("eBay", 503, "5", "down", clock);
        assertThat(c.kind()).isEqualTo(ChannelException.Kind.TRANSIENT);
        assertThat(c.retryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(ChannelFailures.http("eBay", 404, null, "", clock).kind()).isEqualTo(ChannelException.Kind.PERMANENT);
    }
}
