package dev.caravan.messaging;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.caravan.customer.Consent;
import dev.caravan.customer.ConsentChanged;
import dev.caravan.customer.Customer;
import dev.caravan.common.web.NotFoundException;
import dev.caravan.customer.CustomerWriteLock;
import dev.caravan.customer.CustomersChanged;
import dev.caravan.order.PurchaseHistories;
import org.bson.types.ObjectId;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/**
 * Consents per channel and purpose, and the ledger of every change.
 * <ul>
 *   <li>Marketing consent is the customer's {@code consents.<channel>} (also set by events and imports, which
 *       this service records in the ledger through {@link ConsentChanged}).</li>
 *   <li>Transactional messages rest on the order relationship (an order is consent for transactional messages
 *       only), an explicit transactional grant, or marketing consent on that channel; an explicit refusal
 *       ({@code purpose=transactional, granted=false}) stops them. Kept in {@code messaging_consents}.</li>
 * </ul>
 */
@Service
public class ConsentService {

    @Document("messaging_consents")
    record TransactionalConsents(@MongoId(FieldType.STRING) String customerId, Map<String, Consent> transactional) {
    }

    /** A customer's consents as the pipeline sees them. */
    public record ConsentState(String customerId, Map<String, Consent> marketing, Map<String, Consent> transactional,
                               boolean hasOrders) {
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final MongoTemplate mongo;
    private final CustomerWriteLock lock;
    private final PurchaseHistories purchases;
    private final ApplicationEventPublisher events;
    private final MessagingProperties props;
    private final Clock clock;

    ConsentService(MongoTemplate mongo, CustomerWriteLock lock, PurchaseHistories purchases,
                   ApplicationEventPublisher events, MessagingProperties props, Clock clock) {
        this.mongo = mongo;
        this.lock = lock;
        this.purchases = purchases;
        this.events = events;
        this.props = props;
        this.clock = clock;
    }

    /**
     * Records a consent decision and applies it at once (queued messages are checked again when they are sent).
     *
     * @param source evidence, e.g. "double opt-in form 2026-11-02", "unsubscribe-link", "support call"
     * @param actor  who made the change: a user name, an API key name, {@code customer}
     */
    public ConsentState set(String customerId, Channel channel, Purpose purpose, boolean granted, String source,
                            String actor, String messageId) {
        return set(customerId, channel, purpose, granted, source, actor, messageId,
                messageId == null ? null : "message " + messageId);
    }

    /** As {@link #set(String, Channel, Purpose, boolean, String, String, String)}, with explicit evidence. */
    public ConsentState set(String customerId, Channel channel, Purpose purpose, boolean granted, String source,
                            String actor, String messageId, String evidence) {
        Instant now = clock.instant();
        Customer c = customer(customerId);
        Consent consent = new Consent(granted, source, now);
        Boolean previous;
        if (purpose == Purpose.MARKETING) {
            Consent old = c.getConsents().get(channel.id());
            previous = old == null ? null : old.granted();
            lock.run(() -> mongo.updateFirst(Query.query(Criteria.where("_id").is(customerId)),
                    new Update().set("consents." + channel.id(), consent).set("updatedAt", now), Customer.class));
        } else {
            TransactionalConsents t = mongo.findById(customerId, TransactionalConsents.class);
            Consent old = t == null || t.transactional() == null ? null : t.transactional().get(channel.id());
            previous = old == null ? null : old.granted();
            mongo.upsert(Query.query(Criteria.where("_id").is(customerId)),
                    new Update().set("transactional." + channel.id(), consent), TransactionalConsents.class);
        }
        mongo.insert(new ConsentLedgerEntry(new ObjectId().toHexString(), customerId, channel.id(), purpose.id(),
                granted, previous, source, actor, now, messageId, evidence));
        if (purpose == Purpose.MARKETING && (previous == null || previous != granted)) {
            events.publishEvent(new CustomersChanged(Set.of(customerId),
                    "marketing consent " + channel.id() + "=" + granted + " by " + actor, true));
        }
        return state(customerId);
    }

    public ConsentState state(String customerId) {
        Customer c = customer(customerId);
        TransactionalConsents t = mongo.findById(customerId, TransactionalConsents.class);
        return new ConsentState(customerId, new LinkedHashMap<>(c.getConsents()),
                t == null || t.transactional() == null ? Map.of() : t.transactional(),
                !purchases.of(customerId).purchases().isEmpty());
    }

    public List<ConsentLedgerEntry> ledger(String customerId) {
        customer(customerId);
        return mongo.find(Query.query(Criteria.where("customerId").is(customerId)).with(Sort.by("at", "_id")),
                ConsentLedgerEntry.class);
    }

    /** Reads the customer by id (not through CustomerService, whose view sections include this feature). */
    private Customer customer(String id) {
        Customer c = mongo.findById(id, Customer.class);
        if (c == null) throw new NotFoundException("customer " + id + " not found");
        return c;
    }

    /** Consents changed by ingested data go into the ledger too. */
    @EventListener
    void ingested(ConsentChanged e) {
        mongo.insert(new ConsentLedgerEntry(new ObjectId().toHexString(), e.customerId(), e.channel(),
                Purpose.MARKETING.id(), e.granted(), e.previous(), e.source(), e.actor(), e.at(), null, e.source()));
    }

    /** Null when the customer's consent allows this message, else why not. */
    Reason check(Customer c, Channel channel, Purpose purpose) {
        Consent marketing = c.getConsents().get(channel.id());
        if (purpose == Purpose.MARKETING) {
            if (marketing != null) {
                return marketing.granted() ? null : new Reason(Reason.CONSENT, "the customer withdrew marketing consent for "
                        + channel.id() + " on " + DAY.format(marketing.updatedAt()) + describe(marketing.source()));
            }
            if (props.implicitMarketingChannels().contains(channel.id())) {
                return null;
            }
            return new Reason(Reason.CONSENT, "no marketing consent for " + channel.id()
                    + (channel == Channel.WHATSAPP ? " (WhatsApp marketing needs the customer's opt-in)" : ""));
        }
        TransactionalConsents t = mongo.findById(c.getId(), TransactionalConsents.class);
        Consent explicit = t == null || t.transactional() == null ? null : t.transactional().get(channel.id());
        if (explicit != null) {
            return explicit.granted() ? null : new Reason(Reason.CONSENT, "the customer refused " + channel.id()
                    + " messages on " + DAY.format(explicit.updatedAt()) + describe(explicit.source()));
        }
        if (channel == Channel.INBOX || (marketing != null && marketing.granted())) {
            return null;
        }
        if (!purchases.of(c.getId()).purchases().isEmpty()) {
            return null;
        }
        return new Reason(Reason.CONSENT, "no order and no consent to base a transactional " + channel.id()
                + " message on");
    }

    private static String describe(String source) {
        return source == null || source.isBlank() ? "" : " (" + source + ")";
    }

    void reassign(String from, String to) {
        mongo.updateMulti(Query.query(Criteria.where("customerId").is(from)), Update.update("customerId", to),
                ConsentLedgerEntry.class);
        TransactionalConsents a = mongo.findById(from, TransactionalConsents.class);
        if (a != null && a.transactional() != null) {
            TransactionalConsents b = mongo.findById(to, TransactionalConsents.class);
            Map<String, Consent> merged = new LinkedHashMap<>(b == null || b.transactional() == null ? Map.of()
                    : b.transactional());
            // a refusal on either side wins: merging must never re-open a channel someone closed
            a.transactional().forEach((ch, consent) -> merged.merge(ch, consent,
                    (x, y) -> !x.granted() ? x : !y.granted() ? y : (x.updatedAt().isAfter(y.updatedAt()) ? x : y)));
            mongo.save(new TransactionalConsents(to, merged));
            mongo.remove(Query.query(Criteria.where("_id").is(from)), TransactionalConsents.class);
        }
    }
}
