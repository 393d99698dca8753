package dev.caravan.workflow;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.caravan.customer.Consent;
import dev.caravan.customer.Customer;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Stand-in for the messaging feature: checks contact and marketing consent, then logs the request and stores it in
 * {@code journey_outbox} (keyed by the idempotency key, so a repeated send stores nothing). Replaced by an adapter
 * to the messaging feature when that exists.
 */
public class StoringJourneyMessenger implements JourneyMessenger {

    static final String COLLECTION = "journey_outbox";
    private static final Logger log = LoggerFactory.getLogger(StoringJourneyMessenger.class);

    private final MongoTemplate mongo;
    private final Clock clock;
    private final WorkflowProperties props;

    public StoringJourneyMessenger(MongoTemplate mongo, Clock clock, WorkflowProperties props) {
        this.mongo = mongo;
        this.clock = clock;
        this.props = props;
    }

    @Override
    public SendResult send(MessageRequest r) {
        Customer c = mongo.findById(r.customerId(), Customer.class);
        SendCheck check = check(c, r.channel(), r.purpose(), clock.instant(), false);
        if (!check.allowed()) return SendResult.blocked(check.reason(), check.rule());
        String messageId = "jm-" + new ObjectId().toHexString();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("_id", r.idempotencyKey());
        doc.put("messageId", messageId);
        doc.put("customerId", r.customerId());
        doc.put("channel", r.channel());
        doc.put("template", r.template());
        doc.put("purpose", r.purpose());
        doc.put("language", r.language());
        doc.put("params", r.params());
        doc.put("requestedAt", clock.instant());
        try {
            mongo.insert(new Document(doc), COLLECTION);
        } catch (DuplicateKeyException e) {
            Document first = mongo.findById(r.idempotencyKey(), Document.class, COLLECTION);
            return SendResult.sent(first == null ? messageId : first.getString("messageId"));
        }
        log.info("Journey message {} to customer {} via {}: template {} ({})", messageId, r.customerId(), r.channel(),
                r.template(), r.purpose());
        return SendResult.sent(messageId);
    }

    @Override
    public SendCheck check(MessageRequest request, Instant at) {
        return check(mongo.findById(request.customerId(), Customer.class), request.channel(), request.purpose(), at, true);
    }

    private SendCheck check(Customer c, String channel, String purpose, Instant at, boolean shiftQuietHours) {
        if (c == null) return new SendCheck(false, at, "customer not found", "customer");
        boolean phoneChannel = "sms".equals(channel) || "whatsapp".equals(channel);
        if ("email".equals(channel) && c.getEmails().isEmpty()) {
            return new SendCheck(false, at, "no e-mail address", "contact");
        }
        if (phoneChannel && c.getPhones().isEmpty()) {
            return new SendCheck(false, at, "no phone number", "contact");
        }
        if (!"email".equals(channel) && !phoneChannel) {
            return new SendCheck(false, at, "unknown channel " + channel, "channel");
        }
        if ("marketing".equals(purpose)) {
            Consent consent = c.getConsents().get(channel);
            if (consent == null || !consent.granted()) {
                return new SendCheck(false, at, "no marketing consent for " + channel, "consent");
            }
        }
        Instant when = shiftQuietHours ? outOfQuietHours(at, CustomerZones.of(c)) : at;
        return new SendCheck(true, when, null, null);
    }

    Instant outOfQuietHours(Instant at, ZoneId zone) {
        ZonedDateTime local = at.atZone(zone);
        LocalTime t = local.toLocalTime();
        LocalTime start = props.quietStart();
        LocalTime end = props.quietEnd();
        boolean quiet = start.isAfter(end) ? (!t.isBefore(start) || t.isBefore(end)) : (!t.isBefore(start) && t.isBefore(end));
        if (!quiet) return at;
        ZonedDateTime next = local.with(end);
        if (!next.isAfter(local)) next = next.plusDays(1);
        return next.toInstant();
    }
}
