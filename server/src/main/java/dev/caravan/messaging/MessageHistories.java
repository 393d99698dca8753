package dev.caravan.messaging;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * One document per customer, read by id on the hot path: the marketing sends counted by the global frequency cap
 * (reserved atomically with a version check, so concurrent consumers on any server never exceed the cap), and the
 * recent messages that reached the customer (for conversion attribution, the timeline and the 360 view).
 */
@Component
class MessageHistories {

    static final int RECENT_MAX = 100;

    @Document("message_histories")
    // exactly the shape of the version-checked update, so the embedded store finds the document by index
    @CompoundIndex(name = "id_v", def = "{'_id': 1, 'v': 1}", unique = true)
    record History(@MongoId(FieldType.STRING) String customerId, long v, List<Send> marketing, List<Recent> recent) {
        History {
            marketing = marketing == null ? List.of() : marketing;
            recent = recent == null ? List.of() : recent;
        }
    }

    /** A marketing message counted by the cap. */
    record Send(String m, Instant at) {
    }

    /** A message that went out. */
    record Recent(String m, String channel, String template, String purpose, Instant at, String journeyId,
                  String campaignId) {
    }

    private final MongoTemplate mongo;

    MessageHistories(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** The histories of many customers at once (customers without one are absent from the map). */
    java.util.Map<String, History> of(java.util.Collection<String> customerIds) {
        java.util.Map<String, History> out = new java.util.HashMap<>();
        dev.caravan.common.store.ByIds.find(mongo, customerIds, History.class).forEach(h -> out.put(h.customerId(), h));
        return out;
    }

    /** The customer's history; an empty one with {@code v = -1} (never stored) when there is none yet. */
    History of(String customerId) {
        History h = mongo.findById(customerId, History.class);
        return h == null ? absent(customerId) : h;
    }

    static History absent(String customerId) {
        return new History(customerId, -1, List.of(), List.of());
    }

    /** Marketing messages counted against the cap at {@code now}. */
    long counted(String customerId, Instant now, Duration window) {
        Instant from = now.minus(window);
        return of(customerId).marketing().stream().filter(s -> s.at().isAfter(from)).count();
    }

    /** When the oldest counted send leaves the window (for deferring instead of suppressing). */
    Instant nextFreeSlot(String customerId, Instant now, Duration window) {
        Instant from = now.minus(window);
        return of(customerId).marketing().stream().filter(s -> s.at().isAfter(from)).map(Send::at).min(Instant::compareTo)
                .map(at -> at.plus(window)).orElse(now);
    }

    /**
     * Counts this message against the cap unless the cap is full. Idempotent: a message already counted stays
     * counted (a retry does not count twice).
     */
    boolean reserve(String customerId, String messageId, Instant now, Duration window, int max) {
        return reserve(customerId, messageId, now, window, max, null, null);
    }

    /**
     * As {@link #reserve(String, String, Instant, Duration, int)}, starting from a history already read (saves a
     * read when it is still current; one read as absent, {@code v = -1}, goes straight to the insert, which fails
     * on a duplicate key when another writer was first) and recording {@code sent} among the recent messages in the
     * same write.
     */
    boolean reserve(String customerId, String messageId, Instant now, Duration window, int max, History known,
                    Recent sent) {
        for (int attempt = 0; attempt < 20; attempt++) {
            History h = attempt == 0 && known != null ? (known.v() < 0 ? null : known)
                    : mongo.findById(customerId, History.class);
            List<Send> kept = new ArrayList<>();
            Instant from = now.minus(window);
            boolean already = false;
            for (Send s : h == null ? List.<Send>of() : h.marketing()) {
                if (s.m().equals(messageId)) already = true;
                if (s.at().isAfter(from) || s.m().equals(messageId)) kept.add(s);
            }
            if (already) return true;
            if (kept.size() >= max) return false;
            kept.add(new Send(messageId, now));
            if (h == null) {
                try {
                    mongo.insert(new History(customerId, 1, kept, sent == null ? List.of() : List.of(sent)));
                    return true;
                } catch (DuplicateKeyException e) {
                    continue;
                }
            }
            Update u = new Update().set("marketing", kept).inc("v", 1);
            if (sent != null) u.push("recent").slice(-RECENT_MAX).each(sent);
            long modified = mongo.updateFirst(Query.query(Criteria.where("_id").is(customerId).and("v").is(h.v())),
                    u, History.class).getModifiedCount();
            if (modified == 1) return true;
        }
        return false;
    }

    /** Un-counts a message that never reached the customer. */
    void release(String customerId, String messageId) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(customerId)),
                new Update().pull("marketing", Query.query(Criteria.where("m").is(messageId)).getQueryObject())
                        .inc("v", 1), History.class);
    }

    void recordSent(String customerId, Recent entry) {
        mongo.upsert(Query.query(Criteria.where("_id").is(customerId)),
                new Update().push("recent").slice(-RECENT_MAX).each(entry).setOnInsert("v", 0L), History.class);
    }

    void reassign(String from, String to) {
        History a = mongo.findById(from, History.class);
        if (a == null) return;
        History b = of(to);
        List<Send> marketing = new ArrayList<>(b.marketing());
        marketing.addAll(a.marketing());
        List<Recent> recent = new ArrayList<>(b.recent());
        recent.addAll(a.recent());
        recent.sort(java.util.Comparator.comparing(Recent::at));
        if (recent.size() > RECENT_MAX) recent = recent.subList(recent.size() - RECENT_MAX, recent.size());
        mongo.save(new History(to, Math.max(b.v(), 0) + 1, marketing, recent));
        mongo.remove(Query.query(Criteria.where("_id").is(from)), History.class);
    }

    void removeAll(Collection<String> ids) {
        mongo.remove(Query.query(Criteria.where("_id").in(ids)), History.class);
    }
}
