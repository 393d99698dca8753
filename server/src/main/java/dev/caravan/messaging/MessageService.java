package dev.caravan.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.ConflictException;
import dev.caravan.common.web.FieldError;
import dev.caravan.common.web.NotFoundException;
import dev.caravan.customer.Customer;
import dev.caravan.customer.CustomerService;
import dev.caravan.messaging.template.ActiveTemplate;
import dev.caravan.messaging.template.RenderedMessage;
import dev.caravan.messaging.template.TemplateRenderer;
import dev.caravan.messaging.template.TemplateStore;
import org.bson.types.ObjectId;
import org.springframework.stereotype.Service;

/**
 * The one entry point for sending messages, used by the HTTP API, journeys, campaigns and loyalty.
 * <pre>
 * String id = messages.send(SendRequest.forJourneyStep(customerId, "winback", instanceId, "step-2")
 *         .channel(Channel.EMAIL).template("win_back").param("coupon", Map.of("code", "COME-BACK-10")).build(),
 *         "journey:winback").messageId();
 * </pre>
 * {@link #send} decides at once (queue, defer, or suppress with the reason) and writes the message to the outbox in
 * one single-document write; Camel consumers send it, checking consent, policy, cap and quiet hours again at send
 * time. The idempotency key makes repeats, retries and restarts harmless: the same key returns the same message and
 * never sends twice. {@link #check} answers "would this be allowed now, and if not why" without storing anything.
 * Status changes are published as {@link MessageStatusChanged}.
 */
@Service
public class MessageService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final OutboxStore store;
    private final CustomerService customers;
    private final TemplateStore templates;
    private final TemplateRenderer renderer;
    private final SendChecks checks;
    private final MessageHistories histories;
    private final RenderContexts contexts;
    private final MessageEvents events;
    private final OutboxQueue queue;
    private final OutboxNode node;
    private final MessagingProperties props;
    private final Clock clock;

    MessageService(OutboxStore store, CustomerService customers, TemplateStore templates, TemplateRenderer renderer,
                   SendChecks checks, MessageHistories histories, RenderContexts contexts, MessageEvents events, OutboxQueue queue,
                   OutboxNode node, MessagingProperties props, Clock clock) {
        this.store = store;
        this.customers = customers;
        this.templates = templates;
        this.renderer = renderer;
        this.checks = checks;
        this.histories = histories;
        this.contexts = contexts;
        this.events = events;
        this.queue = queue;
        this.node = node;
        this.props = props;
        this.clock = clock;
    }

    /** The validated parts of a request. */
    private record Prepared(Customer customer, Channel channel, Purpose purpose, ActiveTemplate template) {
    }

    /** What became of one request of {@link #sendAll}: its result, or the error {@link #send} would have thrown. */
    public record Outcome(SendResult result, RuntimeException error) {
    }

    /**
     * Queues (or defers, or suppresses with the reason) one message and returns its id at once. A repeated
     * idempotency key returns the first message and queues nothing.
     *
     * @param actor who asks, for the record (user, API key, {@code journey:<id>}...)
     * @throws BadRequestException for an unknown channel, template or purpose; NotFoundException for an unknown customer;
     *                             ConflictException when the key was used for a different message
     */
    public SendResult send(SendRequest request, String actor) {
        Outcome o = sendAll(List.of(request), actor).get(0);
        if (o.error() != null) throw o.error();
        return o.result();
    }

    /**
     * Many requests at once (a campaign round): each gets exactly the decision {@link #send} would give it, in order
     * — a repeated key within the batch returns the first message — but the customers and their send histories are
     * read in one query each and the messages written in one unordered insert, so a request costs a fraction of the
     * store round trips. One request's error never affects the others.
     */
    public List<Outcome> sendAll(List<SendRequest> requests, String actor) {
        int n = requests.size();
        Outcome[] out = new Outcome[n];
        String[] ids = new String[n];
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            SendRequest r = requests.get(i);
            keys[i] = r.idempotencyKey() == null || r.idempotencyKey().isBlank()
                    ? "auto:" + new ObjectId().toHexString() : r.idempotencyKey().trim();
            if (keys[i].length() > 300) {
                out[i] = new Outcome(null, new BadRequestException("idempotencyKey is longer than 300 characters"));
            } else {
                ids[i] = idOf(keys[i]);
            }
        }
        Map<String, Customer> customers = this.customers.getAll(requests.stream().map(SendRequest::customerId)
                .filter(id -> id != null && !id.isBlank()).toList());
        Prepared[] prepared = new Prepared[n];
        for (int i = 0; i < n; i++) {
            if (out[i] != null) continue;
            SendRequest request = requests.get(i);
            try {
                prepared[i] = prepare(request, customers.get(request.customerId()));
            } catch (RuntimeException e) {
                // a repeated key answers with its message even if the request would not validate any more
                out[i] = store.find(ids[i]).map(existing -> answerRepeat(existing, request)).orElse(new Outcome(null, e));
            }
        }
        Map<String, MessageHistories.History> capHistories = capHistories(prepared);
        Instant now = clock.instant();
        List<OutboxMessage> written = new ArrayList<>();
        List<SendChecks.Decision> decisions = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Prepared p = prepared[i];
            if (out[i] != null) continue;
            SendRequest request = requests.get(i);
            String customerId = p.customer().getId();
            SendChecks.Decision d = checks.evaluate(p.customer(), p.channel(), p.purpose(),
                    p.template() == null ? null : p.template().template(), request.params(), ids[i], now,
                    capHistories.getOrDefault(customerId, MessageHistories.absent(customerId)));
            OutboxMessage m = new OutboxMessage(ids[i], keys[i], request, p.channel(), p.purpose(), actor, newToken(), now);
            m.decide(d.status(), d.reason(), d.status() == MessageStatus.SUPPRESSED ? null : d.dueAt(), now);
            if (d.status() == MessageStatus.QUEUED) {
                m.lease(node.id(), now.plus(props.lease()));
            }
            written.add(m);
            decisions.add(d);
            positions.add(i);
        }
        Set<Integer> existed;
        try {
            existed = store.insertAll(written);
        } catch (RuntimeException e) {
            // nothing is known to be written; a message that was is taken by the sweep once its lease runs out
            for (int i : positions) out[i] = new Outcome(null, e);
            return List.of(out);
        }
        for (int k = 0; k < written.size(); k++) {
            OutboxMessage m = written.get(k);
            SendChecks.Decision d = decisions.get(k);
            int i = positions.get(k);
            if (existed.contains(k)) {
                out[i] = store.find(m.getId()).map(existing -> answerRepeat(existing, requests.get(i)))
                        .orElseGet(() -> new Outcome(null, new ConflictException("message " + m.getId()
                                + " was written and removed meanwhile")));
                continue;
            }
            // the consumer gets the document as written (it never modifies this object; its writes go to the store),
            // unless a parameter would read back from the store as another type (a date, a decimal...): then it reads it
            if (d.status() == MessageStatus.QUEUED
                    && !(readsBackAsIs(m.getParams()) ? queue.offer(m, d.history()) : queue.offer(m.getId()))) {
                store.release(m.getId(), node.id());
            }
            events.changed(m, null, d.status(), d.reason(), now);
            out[i] = new Outcome(new SendResult(m.getId(), d.status().id(), false, d.reason(),
                    d.status() == MessageStatus.DEFERRED ? d.dueAt() : null), null);
        }
        return List.of(out);
    }

    /** The send histories the frequency cap will consult, read at once (absent: none stored yet). */
    private Map<String, MessageHistories.History> capHistories(Prepared[] prepared) {
        if (props.frequencyCap().maxMarketing() <= 0) return Map.of();
        List<String> ids = new ArrayList<>();
        for (Prepared p : prepared) {
            if (p != null && p.purpose() == Purpose.MARKETING && p.template() != null) ids.add(p.customer().getId());
        }
        return ids.isEmpty() ? Map.of() : histories.of(new LinkedHashSet<>(ids));
    }

    private Outcome answerRepeat(OutboxMessage existing, SendRequest request) {
        try {
            return new Outcome(duplicate(existing, request), null);
        } catch (RuntimeException e) {
            return new Outcome(null, e);
        }
    }

    /** Messages handed to the sending consumers and not yet taken by one (feeders pace themselves on it). */
    public int handOverBacklog() {
        return queue.backlog();
    }

    /** Whether this send would be allowed now, and if not why; nothing is stored or sent. */
    public SendCheck check(SendRequest request) {
        Prepared p = prepare(request, null);
        String id = request.idempotencyKey() == null ? null : idOf(request.idempotencyKey().trim());
        return checks.evaluate(p.customer(), p.channel(), p.purpose(), p.template() == null ? null : p.template().template(),
                request.params(), id, clock.instant()).asCheck();
    }

    /** @param loaded the customer as read for a batch (null: read it now, which names a merge if there was one) */
    private Prepared prepare(SendRequest r, Customer loaded) {
        List<FieldError> errors = new java.util.ArrayList<>();
        if (r.customerId() == null || r.customerId().isBlank()) errors.add(new FieldError("customerId", "is required"));
        if (r.template() == null || r.template().isBlank()) errors.add(new FieldError("template", "is required"));
        Channel channel = null;
        try {
            channel = Channel.of(r.channel());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("channel", e.getMessage()));
        }
        Purpose purpose = null;
        if (r.purpose() != null && !r.purpose().isBlank()) {
            try {
                purpose = Purpose.of(r.purpose());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("purpose", e.getMessage()));
            }
        }
        if (!errors.isEmpty()) throw new BadRequestException("the message request is invalid", errors);
        Customer customer = loaded != null ? loaded : customers.get(r.customerId());
        // A channel that can never carry this purpose is refused with the policy reason, whatever the template.
        if (purpose != null && checksStatic(channel, purpose)) {
            return new Prepared(customer, channel, purpose, null);
        }
        if (!templates.exists(r.template(), channel.id())) {
            throw new BadRequestException("template '" + r.template() + "' has no " + channel.id() + " version",
                    List.of(new FieldError("template", "available for " + channel.id() + ": "
                            + templates.list().stream().filter(t -> t.channel().equals(r.channel().toLowerCase()))
                            .map(TemplateStore.TemplateInfo::name).distinct().toList())));
        }
        ActiveTemplate t = templates.resolve(r.template(), channel.id(), language(r, customer), props.defaultLanguage());
        Purpose allowed = Purpose.of(t.template().purpose());
        if (purpose == null) {
            purpose = allowed;
        } else if (purpose == Purpose.TRANSACTIONAL && allowed == Purpose.MARKETING) {
            throw new BadRequestException("template '" + r.template() + "' is a marketing template; it cannot be sent "
                    + "as transactional", List.of(new FieldError("purpose", "must be marketing for this template")));
        }
        return new Prepared(customer, channel, purpose, checksStatic(channel, purpose) ? null : t);
    }

    private boolean checksStatic(Channel channel, Purpose purpose) {
        return (channel == Channel.AMAZON || channel == Channel.EBAY) && purpose == Purpose.MARKETING;
    }

    String language(SendRequest r, Customer c) {
        return r.language() != null && !r.language().isBlank() ? r.language() : c.getLanguage();
    }

    private SendResult duplicate(OutboxMessage m, SendRequest r) {
        if (!Objects.equals(m.getCustomerId(), r.customerId()) || !m.getChannel().equalsIgnoreCase(String.valueOf(r.channel()))
                || !Objects.equals(m.getTemplate(), r.template())) {
            throw new ConflictException("idempotency key '" + m.getIdempotencyKey() + "' was used for message "
                    + m.getId() + " (" + m.getChannel() + " " + m.getTemplate() + " to " + m.getCustomerId()
                    + "); use a new key for a different message");
        }
        return new SendResult(m.getId(), m.status().id(), true, m.getReason(),
                m.status() == MessageStatus.DEFERRED ? m.getDueAt() : null);
    }

    public OutboxMessage get(String id) {
        return store.find(id).orElseThrow(() -> new NotFoundException("message " + id + " not found"));
    }

    /** Puts a failed message (a dead letter) back into the outbox; it passes every check again. */
    public OutboxMessage retry(String id, String user) {
        OutboxMessage before = get(id);
        OutboxMessage m = store.requeueFailed(id, user, clock.instant()).orElseThrow(() -> new ConflictException(
                "message " + id + " is " + before.status().id() + "; only failed messages can be retried"));
        events.changed(m, MessageStatus.FAILED, MessageStatus.QUEUED, m.getReason(), clock.instant());
        if (store.claim(id, node.id(), clock.instant(), clock.instant().plus(props.lease())) && !queue.offer(id)) {
            store.release(id, node.id());
        }
        return m;
    }

    /** Renders a template for a customer (or sample data) without sending anything. */
    public RenderedMessage preview(ActiveTemplate t, String customerId, Map<String, Object> params) {
        Customer c = customerId == null ? null : customers.get(customerId);
        Map<String, Object> ctx = c == null ? sampleContext(params) : contexts.of(c, params, "preview", null);
        return renderer.render(t, ctx, true);
    }

    private Map<String, Object> sampleContext(Map<String, Object> params) {
        Map<String, Object> ctx = new java.util.LinkedHashMap<>(params == null ? Map.of() : params);
        ctx.put("customer", Map.of("id", "preview", "firstName", "Ann", "lastName", "Lee", "name", "Ann Lee",
                "email", "ann@example.com"));
        ctx.put("shop", Map.of("name", props.shop().name(), "url", props.shop().url()));
        ctx.put("unsubscribeUrl", contexts.unsubscribeUrl(null));
        ctx.put("message", Map.of("id", "preview"));
        contexts.addFeatureVariables(ctx, null);
        return ctx;
    }

    /** Whether the value is JSON-like (text, int, long, double, boolean, maps and lists of those): stored as is. */
    static boolean readsBackAsIs(Object v) {
        if (v == null || v instanceof String || v instanceof Integer || v instanceof Long || v instanceof Double
                || v instanceof Boolean) {
            return true;
        }
        if (v instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String) || !readsBackAsIs(e.getValue())) return false;
            }
            return true;
        }
        if (v instanceof List<?> list) {
            for (Object o : list) {
                if (!readsBackAsIs(o)) return false;
            }
            return true;
        }
        return false;
    }

    /** The message id for an idempotency key: the same key always names the same message. */
    static String idOf(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            // "m" + 24 hex digits: never mistaken for an ObjectId by the mapping layer
            return "m" + HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String newToken() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
