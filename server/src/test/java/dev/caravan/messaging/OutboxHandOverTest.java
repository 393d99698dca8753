package dev.caravan.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The consumer's short cuts for messages this server has just queued: it gets the written document (no read back)
 * and reserves the frequency cap on the history the message was decided on, conditionally on its version. A history
 * that changed meanwhile must lead to the same decision as a fresh read.
 */
class OutboxHandOverTest extends MessagingTestBase {

    @Autowired
    OutboxDispatcher dispatcher;
    @Autowired
    OutboxStore outbox;
    @Autowired
    OutboxNode node;
    @Autowired
    MessageHistories histories;

    @Test
    void aMessageQueuedOnAHistoryThatChangedSinceIsCappedOnTheCurrentOne() throws Exception {
        customer("c1", "ann@example.com", "+4915112345678", "Europe/Berlin", "en",
                Map.of("email", true, "whatsapp", true));
        MessageHistories.History before = histories.of("c1");
        assertThat(before.v()).isNegative(); // nothing sent yet: read as absent

        JsonNode email = send(request("c1", "email", "win_back", null, "hand-1", Map.of()));
        awaitStatus(email.path("messageId").asString(), "sent");

        // a WhatsApp marketing message decided on the history as it was before the e-mail went out
        OutboxMessage m = leasedMarketing("c1", "hand-2");
        dispatcher.dispatch(m, true, before);

        JsonNode stored = message(m.getId());
        assertThat(stored.path("status").asString()).isEqualTo("suppressed");
        assertThat(stored.path("reason").path("code").asString()).isEqualTo("frequency_cap");
        assertThat(stored.path("reason").path("message").asString()).contains("across all channels");
        assertThat(STUB.findAll(postRequestedFor(urlPathMatching("/v23.0/.*")))).isEmpty();
        assertThat(histories.of("c1").marketing()).extracting(MessageHistories.Send::m)
                .containsExactly(email.path("messageId").asString());
    }

    @Test
    void aHandedOverMessageErasedOrTakenMeanwhileIsNotSent() {
        customer("c2", "bob@example.com", null, "Europe/Berlin", "en", Map.of("email", true));
        OutboxMessage m = leasedMarketing("c2", "hand-3");
        // another server took the message over after this one's lease ran out
        store.mongo().getCollection("messages").updateOne(new org.bson.Document("_id", m.getId()),
                new org.bson.Document("$set", new org.bson.Document("leaseOwner", "other-node")));

        dispatcher.dispatch(m, true, null);

        assertThat(MAIL.getReceivedMessages()).isEmpty();
        assertThat(message(m.getId()).path("status").asString()).isEqualTo("queued");
    }

    private OutboxMessage leasedMarketing(String customerId, String key) {
        boolean whatsapp = customerId.equals("c1");
        SendRequest r = SendRequest.builder().customerId(customerId).channel(whatsapp ? Channel.WHATSAPP : Channel.EMAIL)
                .template(whatsapp ? "birthday" : "win_back").idempotencyKey(key).build();
        OutboxMessage m = new OutboxMessage(MessageService.idOf(key), key, r, whatsapp ? Channel.WHATSAPP : Channel.EMAIL,
                Purpose.MARKETING, "test", MessageService.newToken(), clock.instant());
        m.decide(MessageStatus.QUEUED, null, clock.instant(), clock.instant());
        m.lease(node.id(), clock.instant().plusSeconds(120));
        outbox.insertAll(List.of(m));
        return m;
    }
}
