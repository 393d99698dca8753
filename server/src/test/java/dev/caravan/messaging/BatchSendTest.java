package dev.caravan.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.ConflictException;
import dev.caravan.common.web.NotFoundException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@link MessageService#sendAll}: one batch, each request decided as {@link MessageService#send} would decide it. */
class BatchSendTest extends MessagingTestBase {

    @Autowired
    MessageService messages;

    private static SendRequest winBack(String customerId, String key) {
        return SendRequest.builder().customerId(customerId).channel(Channel.EMAIL).template("win_back")
                .param("coupon", Map.of("code", "WB-" + key)).idempotencyKey(key).build();
    }

    @Test
    void eachRequestOfABatchGetsItsOwnOutcomeAndEveryMessageGoesOutOnce() throws Exception {
        customer("c1", "ann@example.com", null, "Europe/Berlin", "en", Map.of("email", true));
        customer("c2", "bob@example.com", null, "Europe/Berlin", "en", Map.of("email", false));
        customer("c3", "cy@example.com", null, "Europe/Berlin", "en", Map.of("email", true));
        String earlier = messages.send(winBack("c3", "k-earlier"), "test").messageId();

        List<MessageService.Outcome> out = messages.sendAll(List.of(
                winBack("c1", "k1"),                                   // queued
                winBack("c2", "k2"),                                   // no consent: suppressed
                winBack("nobody", "k3"),                               // unknown customer
                SendRequest.builder().customerId("c1").channel("fax").template("win_back").idempotencyKey("k4").build(),
                winBack("c1", "k1"),                                   // the same key again in the batch
                winBack("c3", "k-earlier"),                            // a key stored before the batch
                SendRequest.builder().customerId("c3").channel(Channel.EMAIL).template("birthday")
                        .idempotencyKey("k1").build()),                // a used key for another message
                "test");

        assertThat(out.get(0).result().status()).isEqualTo("queued");
        assertThat(out.get(1).result().status()).isEqualTo("suppressed");
        assertThat(out.get(1).result().reason().code()).isEqualTo(Reason.CONSENT);
        assertThat(out.get(2).error()).isInstanceOf(NotFoundException.class);
        assertThat(out.get(3).error()).isInstanceOf(BadRequestException.class);
        assertThat(out.get(4).result().duplicate()).isTrue();
        assertThat(out.get(4).result().messageId()).isEqualTo(out.get(0).result().messageId());
        assertThat(out.get(5).result().duplicate()).isTrue();
        assertThat(out.get(5).result().messageId()).isEqualTo(earlier);
        assertThat(out.get(6).error()).isInstanceOf(ConflictException.class);

        awaitStatus(out.get(0).result().messageId(), "sent", "delivered");
        awaitStatus(earlier, "sent", "delivered");
        Thread.sleep(300); // a second copy would arrive within this
        List<String> to = Arrays.stream(MAIL.getReceivedMessages()).map(BatchSendTest::recipient).sorted().toList();
        assertThat(to).containsExactly("ann@example.com", "cy@example.com");
        assertThat(message(out.get(1).result().messageId()).path("status").asString()).isEqualTo("suppressed");
    }

    @Test
    void theCapCountsMessagesOfTheSameBatchAtSendTime() throws Exception {
        customer("c1", "ann@example.com", null, "Europe/Berlin", "en", Map.of("email", true));

        // both pass the request-time check (nothing sent yet); the cap is reserved when the first one is sent
        List<MessageService.Outcome> out = messages.sendAll(List.of(winBack("c1", "a"), winBack("c1", "b")), "test");
        assertThat(out).allSatisfy(o -> assertThat(o.result().status()).isEqualTo("queued"));

        List<String> ids = out.stream().map(o -> o.result().messageId()).toList();
        await(() -> ids.stream().map(this::message).allMatch(m -> !m.path("status").asString().equals("queued")
                && !m.path("status").asString().equals("sending")), Duration.ofSeconds(15), "both decided");
        List<String> statuses = ids.stream().map(id -> message(id).path("status").asString()).sorted().toList();
        assertThat(statuses).containsExactly("sent", "suppressed");
        assertThat(MAIL.getReceivedMessages()).hasSize(1);
    }

    private static String recipient(MimeMessage m) {
        try {
            return ((jakarta.mail.internet.InternetAddress) m.getAllRecipients()[0]).getAddress();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
