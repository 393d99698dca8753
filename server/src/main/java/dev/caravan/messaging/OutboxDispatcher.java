package dev.caravan.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import dev.caravan.customer.Customer;
import dev.caravan.integrations.channel.AmazonMessage;
import dev.caravan.integrations.channel.ChannelEndpoints;
import dev.caravan.integrations.channel.ChannelException;
import dev.caravan.integrations.channel.ChannelFailures;
import dev.caravan.integrations.channel.ChannelReceipt;
import dev.caravan.integrations.channel.EbayMessage;
import dev.caravan.integrations.channel.EmailMessage;
import dev.caravan.integrations.channel.InboxMessage;
import dev.caravan.integrations.channel.WhatsAppMessage;
import dev.caravan.messaging.template.ActiveTemplate;
import dev.caravan.messaging.template.RenderedMessage;
import dev.caravan.messaging.template.TemplateRenderer;
import dev.caravan.messaging.template.TemplateStore;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * What a Camel consumer does with one message id taken from the outbox: checks everything again (consent, policy,
 * cap, quiet hours, rate), renders the template, records the attempt (write-ahead), hands the payload to the
 * channel route and records the outcome. Transient failures are retried later with exponential backoff (the
 * provider's Retry-After wins); permanent ones become dead letters with the reason; bounces also block the address.
 */
@Component
class OutboxDispatcher {

    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);

    private final OutboxStore store;
    private final MongoTemplate mongo;
    private final SendChecks checks;
    private final TemplateStore templates;
    private final TemplateRenderer renderer;
    private final RenderContexts contexts;
    private final ChannelPolicy policy;
    private final ChannelRateLimits rates;
    private final MessageHistories histories;
    private final AddressBook addresses;
    private final MessageEvents events;
    private final WhatsAppReceipts receipts;
    private final OutboxNode node;
    private final MessagingProperties props;
    private final Clock clock;
    private final ProducerTemplate producer;

    OutboxDispatcher(OutboxStore store, MongoTemplate mongo, SendChecks checks, TemplateStore templates,
                     TemplateRenderer renderer, RenderContexts contexts, ChannelPolicy policy, ChannelRateLimits rates,
                     MessageHistories histories, AddressBook addresses, MessageEvents events, WhatsAppReceipts receipts,
                     OutboxNode node, MessagingProperties props, Clock clock, CamelContext camel) {
        this.store = store;
        this.mongo = mongo;
        this.checks = checks;
        this.templates = templates;
        this.renderer = renderer;
        this.contexts = contexts;
        this.policy = policy;
        this.rates = rates;
        this.histories = histories;
        this.addresses = addresses;
        this.events = events;
        this.receipts = receipts;
        this.node = node;
        this.props = props;
        this.clock = clock;
        this.producer = camel.createProducerTemplate();
    }

    /** Camel processor entry: the body is a message id, or the message this server has just written and leased. */
    void process(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        OutboxQueue.HandOver written = body instanceof OutboxQueue.HandOver ? (OutboxQueue.HandOver) body : null;
        String id = written != null ? written.message().getId() : exchange.getIn().getBody(String.class);
        try {
            if (written != null) {
                dispatch(written.message(), true, written.history());
            } else {
                dispatch(id);
            }
        } catch (RuntimeException e) {
            // Store trouble or a bug: leave the message pending, owned by nobody, for the next sweep.
            log.warn("Could not process message {}: {}", id, e.toString());
            try {
                store.release(id, node.id());
            } catch (RuntimeException ignored) {
                // the lease runs out by itself
            }
        }
    }

    void dispatch(String id) {
        Optional<OutboxMessage> found = store.find(id);
        if (found.isEmpty()) return;
        dispatch(found.get(), false, null);
    }

    /**
     * @param handedOver the document as this server wrote it (not read back): every write below is conditional on
     *                   this server's lease, so a message changed meanwhile (erased, taken over) is never sent; a
     *                   customer gone since (merged into another) is checked against the stored document first
     * @param knownHistory the customer's send history the message was queued on (null: read it now). The cap
     *                     reservation is conditional on its version, so it is used only if still current; a check
     *                     that does not say "send" on it, or a reservation that fails, is repeated on a fresh read
     */
    void dispatch(OutboxMessage m, boolean handedOver, MessageHistories.History knownHistory) {
        String id = m.getId();
        if (!m.isPending() || !node.id().equals(m.getLeaseOwner())) {
            return; // done already, or another consumer/server holds it
        }
        Instant now = clock.instant();
        MessageStatus previous = m.status();
        if (previous == MessageStatus.SENDING) {
            log.info("Message {} was being sent when its server stopped; sending it again (at least once)", id);
        }
        Customer customer = mongo.findById(m.getCustomerId(), Customer.class);
        if (customer == null && handedOver) {
            dispatch(id); // the stored document may name another customer now (merge)
            return;
        }
        if (customer == null) {
            settle(m, MessageStatus.SUPPRESSED, new Reason(Reason.CUSTOMER_GONE, "customer " + m.getCustomerId()
                    + " no longer exists"), null, null);
            return;
        }
        Channel channel = m.channel();
        Purpose purpose = m.purpose();
        ActiveTemplate template = null;
        if (policy.staticRefusal(channel, purpose) == null) {
            try {
                template = templates.resolve(m.getTemplate(), channel.id(),
                        m.getLanguage() != null ? m.getLanguage() : customer.getLanguage(), props.defaultLanguage());
            } catch (RuntimeException e) {
                settle(m, MessageStatus.FAILED, new Reason(Reason.FAILED, "template: " + e.getMessage()), null, null);
                return;
            }
        }
        SendChecks.Decision d = checks.evaluate(customer, channel, purpose, template == null ? null : template.template(),
                m.getParams(), m.getId(), now, knownHistory);
        if (knownHistory != null && d.status() != MessageStatus.QUEUED) {
            // refuse or defer only on the current history
            d = checks.evaluate(customer, channel, purpose, template == null ? null : template.template(),
                    m.getParams(), m.getId(), now);
        }
        if (d.status() == MessageStatus.SUPPRESSED) {
            settle(m, MessageStatus.SUPPRESSED, d.reason(), null, null);
            return;
        }
        if (d.status() == MessageStatus.DEFERRED) {
            if (previous == MessageStatus.DEFERRED && d.dueAt().equals(m.getDueAt())) {
                store.release(id, node.id());
            } else {
                settle(m, MessageStatus.DEFERRED, d.reason(), d.dueAt(), null);
            }
            return;
        }
        RenderedMessage rendered = renderer.render(template, contexts.of(customer, m.getParams(), m.getId(),
                m.getUnsubscribeToken(), template.template()));
        Reason content = policy.afterRender(channel, rendered);
        if (content != null) {
            settle(m, MessageStatus.SUPPRESSED, content, null, null);
            return;
        }
        if (!rates.acquire(channel)) {
            Duration wait = rates.backoff(channel);
            settle(m, MessageStatus.QUEUED, new Reason(Reason.RATE_LIMIT, channel.id() + " rate limit"), now.plus(wait), null);
            return;
        }
        // marketing: count the message against the cap and list it among the recent ones in one write
        MessageHistories.Recent recent = new MessageHistories.Recent(m.getId(), channel.id(), m.getTemplate(),
                purpose.id(), now, m.getJourneyId(), m.getCampaignId());
        boolean recorded = false;
        if (purpose == Purpose.MARKETING && props.frequencyCap().maxMarketing() > 0) {
            recorded = histories.reserve(customer.getId(), m.getId(), now, props.frequencyCap().window(),
                    props.frequencyCap().maxMarketing(), d.history(), previous == MessageStatus.QUEUED
                            && m.getAttempts() == 0 ? recent : null);
        }
        if (purpose == Purpose.MARKETING && props.frequencyCap().maxMarketing() > 0 && !recorded
                && knownHistory != null && d.history() == knownHistory) {
            // the history changed since the message was queued: decide again on the current one (defer or suppress
            // with the cap's own reason); nothing was written for this message yet
            dispatch(m, handedOver, null);
            return;
        }
        if (purpose == Purpose.MARKETING && props.frequencyCap().maxMarketing() > 0 && !recorded) {
            settle(m, MessageStatus.SUPPRESSED, new Reason(Reason.FREQUENCY_CAP, "the frequency cap was reached by "
                    + "another message sent at the same time"), null, null);
            return;
        }
        ChannelPolicy.Recipient to = d.recipient();
        if (!store.markSending(id, node.id(), now, now.plus(props.lease()), to.address(), template.version())) {
            return; // lost the lease meanwhile
        }
        Object payload = payload(m, channel, purpose, rendered, to);
        ChannelReceipt receipt;
        try {
            receipt = producer.requestBody(endpoint(channel), payload, ChannelReceipt.class);
        } catch (RuntimeException e) {
            failed(m, channel, to, ChannelFailures.classify(e));
            return;
        }
        MessageStatus status = receipt != null && receipt.delivered() ? MessageStatus.DELIVERED : MessageStatus.SENT;
        Update extra = new Update().set("sentAt", clock.instant());
        if (receipt != null && receipt.providerMessageId() != null) {
            extra.set("providerMessageId", receipt.providerMessageId());
        }
        if (settle(m, MessageStatus.SENDING, status, null, null, extra)) {
            boolean listed = purpose == Purpose.MARKETING && props.frequencyCap().maxMarketing() > 0
                    && previous == MessageStatus.QUEUED && m.getAttempts() == 0;
            if (!listed) {
                histories.recordSent(customer.getId(), recent);
            }
            if (channel == Channel.WHATSAPP && receipt != null && receipt.providerMessageId() != null) {
                receipts.sent(receipt.providerMessageId(), m.getId());
            }
        }
    }

    private void failed(OutboxMessage m, Channel channel, ChannelPolicy.Recipient to, ChannelException e) {
        int attempts = m.getAttempts() + 1;
        Instant now = clock.instant();
        Update extra = new Update().set("lastError", e.code() + ": " + e.getMessage());
        switch (e.kind()) {
            case TRANSIENT -> {
                if (attempts < props.retry().maxAttempts()) {
                    Duration wait = backoff(attempts, e.retryAfter());
                    settle(m, MessageStatus.SENDING, MessageStatus.QUEUED, new Reason(Reason.RETRY, "attempt " + attempts + " failed ("
                            + e.getMessage() + "); retrying in " + wait.toSeconds() + "s"), now.plus(wait), extra);
                    return;
                }
                releaseCap(m);
                settle(m, MessageStatus.SENDING, MessageStatus.FAILED, new Reason(Reason.FAILED, "gave up after " + attempts + " attempts: "
                        + e.getMessage()), null, extra);
            }
            case BOUNCE -> {
                releaseCap(m);
                if (channel == Channel.EMAIL || channel == Channel.WHATSAPP) {
                    addresses.suppress(channel, to.address(), e.getMessage(), now, m.getId());
                }
                settle(m, MessageStatus.SENDING, MessageStatus.BOUNCED, new Reason(Reason.BOUNCED, e.getMessage()), null, extra);
            }
            default -> {
                releaseCap(m);
                settle(m, MessageStatus.SENDING, MessageStatus.FAILED, new Reason(Reason.FAILED, e.getMessage()), null, extra);
            }
        }
    }

    private void releaseCap(OutboxMessage m) {
        if (m.purpose() == Purpose.MARKETING) {
            histories.release(m.getCustomerId(), m.getId());
        }
    }

    Duration backoff(int attempt, Duration retryAfter) {
        MessagingProperties.Retry r = props.retry();
        double base = r.initialBackoff().toMillis() * Math.pow(r.multiplier(), Math.max(0, attempt - 1));
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        long millis = (long) Math.min(r.maxBackoff().toMillis(), base * jitter);
        Duration d = Duration.ofMillis(Math.max(millis, 1));
        return retryAfter != null && retryAfter.compareTo(d) > 0 ? retryAfter : d;
    }

    /** Settles a message not (yet) marked as being sent: it moves from the status it was dispatched in. */
    private boolean settle(OutboxMessage m, MessageStatus status, Reason reason, Instant dueAt, Update extra) {
        return settle(m, m.status(), status, reason, dueAt, extra);
    }

    private boolean settle(OutboxMessage m, MessageStatus from, MessageStatus status, Reason reason, Instant dueAt,
                           Update extra) {
        Instant now = clock.instant();
        boolean settled = store.settle(m.getId(), node.id(), status, reason, dueAt, extra, now);
        if (settled) events.changed(m, from, status, reason, now);
        return settled;
    }

    private Object payload(OutboxMessage m, Channel channel, Purpose purpose, RenderedMessage r,
                           ChannelPolicy.Recipient to) {
        return switch (channel) {
            case EMAIL -> {
                Map<String, String> headers = new LinkedHashMap<>();
                if (purpose == Purpose.MARKETING) {
                    String url = contexts.unsubscribeUrl(m.getUnsubscribeToken());
                    String mailto = props.unsubscribeMailto();
                    headers.put("List-Unsubscribe", "<" + url + ">" + (mailto == null || mailto.isBlank() ? ""
                            : ", <mailto:" + mailto + "?subject=unsubscribe-" + m.getUnsubscribeToken() + ">"));
                    headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
                }
                headers.put("X-Caravan-Template", m.getTemplate());
                yield new EmailMessage(m.getId(), to.address(), to.name(), r.subject(), r.html(), r.text(), headers);
            }
            case WHATSAPP -> r.whatsAppTemplate() != null && !r.whatsAppTemplate().isBlank()
                    ? new WhatsAppMessage(to.address(), r.whatsAppTemplate(), r.whatsAppLanguage(), r.whatsAppParams(), null)
                    : new WhatsAppMessage(to.address(), null, null, java.util.List.of(), r.text());
            case AMAZON -> new AmazonMessage(to.address(), to.extra().get("marketplaceId"), r.amazonMessageType(),
                    r.text().strip());
            case EBAY -> new EbayMessage(to.extra().get("conversationId"),
                    to.extra().containsKey("conversationId") ? null : to.address(), r.text().strip(),
                    to.extra().get("listingId"));
            case INBOX -> new InboxMessage(m.getId(), m.getCustomerId(), r.title(), r.body(), r.link(), m.getTemplate());
        };
    }

    private static String endpoint(Channel c) {
        return switch (c) {
            case EMAIL -> ChannelEndpoints.EMAIL;
            case WHATSAPP -> ChannelEndpoints.WHATSAPP;
            case AMAZON -> ChannelEndpoints.AMAZON;
            case EBAY -> ChannelEndpoints.EBAY;
            case INBOX -> ChannelEndpoints.INBOX;
        };
    }
}
