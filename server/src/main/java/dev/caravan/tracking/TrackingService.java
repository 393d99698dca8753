package dev.caravan.tracking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.caravan.common.web.BadRequestException;
import dev.caravan.customer.ContactNormalizer;
import dev.caravan.customer.CustomersMerged;
import dev.caravan.customer.ProfileInput;
import dev.caravan.ingest.IngestPipeline;
import dev.caravan.ingest.IngestRecord;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Storefront events from the snippet: checks the batch (consent flag, bot signals, types, sizes), then either
 * buffers it for an anonymous visitor or hands it to the ingest pipeline as the identified customer's behaviour
 * events (so it reaches the timeline, rules, segments and journeys like any other event). An {@code identify}
 * resolves the customer by e-mail and moves everything the visitor did before into their profile.
 */
@Service
public class TrackingService {

    private static final Logger log = LoggerFactory.getLogger(TrackingService.class);
    static final Set<String> TYPES = Set.of("page_viewed", "product_viewed", "added_to_cart", "removed_from_cart",
            "checkout_started", "searched", "identify");
    private static final Set<String> PRODUCT = Set.of("product_viewed", "added_to_cart", "removed_from_cart");
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{8,64}$");
    private static final Pattern PROP = Pattern.compile("^[A-Za-z][A-Za-z0-9_]{0,39}$");

    /** What happened to a batch. */
    public record Outcome(int accepted, int buffered, int dropped, String reason, String customerId) {
        static Outcome dropped(int n, String reason) {
            return new Outcome(0, 0, n, reason, null);
        }
    }

    private final MongoTemplate mongo;
    private final IngestPipeline pipeline;
    private final ContactNormalizer normalizer;
    private final TrackingProperties props;
    private final JsonMapper json;
    private final Clock clock;
    private final Pattern bots;

    TrackingService(MongoTemplate mongo, IngestPipeline pipeline, ContactNormalizer normalizer, TrackingProperties props,
                    JsonMapper json, Clock clock) {
        this.mongo = mongo;
        this.pipeline = pipeline;
        this.normalizer = normalizer;
        this.props = props;
        this.json = json;
        this.clock = clock;
        this.bots = Pattern.compile(props.botFilter().userAgents(), Pattern.CASE_INSENSITIVE);
    }

    boolean isBot(String userAgent) {
        return userAgent == null || userAgent.isBlank() || bots.matcher(userAgent).find();
    }

    Outcome collect(TrackingSite site, String body, String userAgent) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (RuntimeException e) {
            throw new BadRequestException("the body is not JSON");
        }
        if (root == null || !root.isObject()) throw new BadRequestException("the body must be a JSON object");
        JsonNode events = root.path("events");
        int n = events.isArray() ? events.size() : 0;
        if (isBot(userAgent) || (props.botFilter().webdriver() && root.path("wd").asBoolean(false))) {
            return Outcome.dropped(n, "bot");
        }
        if (!root.path("consent").isBoolean() || !root.path("consent").asBoolean()) {
            return Outcome.dropped(n, "no_consent");   // nothing is stored without the shopper's consent
        }
        String aid = text(root.path("aid"));
        if (aid == null || !ID.matcher(aid).matches()) throw new BadRequestException("aid must be the visitor's id (8-64 letters, digits, - or _)");
        if (!events.isArray() || events.isEmpty()) throw new BadRequestException("events must be a non-empty array");
        if (n > props.maxEventsPerRequest()) throw new BadRequestException("at most " + props.maxEventsPerRequest() + " events per request");

        Instant now = clock.instant();
        List<Visitor.Buffered> batch = new ArrayList<>();
        String email = null;
        Instant identifiedAt = null;
        int dropped = 0;
        for (JsonNode e : events) {
            String id = text(e.path("id"));
            String type = text(e.path("type"));
            if (id == null || !ID.matcher(id).matches() || type == null || !TYPES.contains(type)) {
                dropped++;
                continue;
            }
            Instant at = time(text(e.path("at")), now);
            Map<String, Object> p = properties(e.path("props"));
            if (type.equals("identify")) {
                Object raw = p.get("email");
                try {
                    email = raw == null ? null : normalizer.email(raw.toString());
                    identifiedAt = at;
                } catch (IllegalArgumentException ex) {
                    dropped++;
                }
                continue;
            }
            if (PRODUCT.contains(type) && !(p.get("sku") instanceof String)) {
                dropped++;
                continue;
            }
            batch.add(new Visitor.Buffered("trk-" + aid + "-" + id, type, at, p));
        }

        String visitorId = site.key() + ":" + aid;
        Visitor v = mongo.findById(visitorId, Visitor.class);
        String customerId = v == null ? null : v.customerId();
        if (email != null) {
            String resolved = identify(site, email, identifiedAt);
            if (resolved != null) {
                List<Visitor.Buffered> earlier = v == null ? List.of() : v.buffered();
                List<Visitor.Buffered> all = new ArrayList<>(earlier);
                all.addAll(batch);
                int accepted = ingest(site, resolved, all);
                mongo.upsert(Query.query(Criteria.where("_id").is(visitorId)), new Update().set("siteKey", site.key())
                        .set("customerId", resolved).set("events", List.of()).setOnInsert("firstSeen", now).set("lastSeen", now),
                        Visitor.class);
                return new Outcome(accepted, 0, dropped, null, resolved);
            }
        }
        if (customerId != null) {
            int accepted = ingest(site, customerId, batch);
            mongo.updateFirst(Query.query(Criteria.where("_id").is(visitorId)), Update.update("lastSeen", now), Visitor.class);
            return new Outcome(accepted, 0, dropped, null, customerId);
        }
        Update u = new Update().set("siteKey", site.key()).setOnInsert("firstSeen", now).set("lastSeen", now);
        if (!batch.isEmpty()) u.push("events").slice(-props.maxBufferedEvents()).each(batch.toArray());
        mongo.upsert(Query.query(Criteria.where("_id").is(visitorId)), u, Visitor.class);
        return new Outcome(0, batch.size(), dropped, null, null);
    }

    /** Finds or creates the customer with this e-mail; null when the pipeline refuses the identity. */
    private String identify(TrackingSite site, String email, Instant at) {
        ProfileInput profile = ProfileInput.builder().email(email).source("tracking:" + site.key()).at(at).build();
        IngestPipeline.Outcome o = pipeline.write(List.of(new IngestRecord(null, "identify", at, profile, null, null,
                null, null, null)), true, "tracking:" + site.key(), "storefront identify");
        IngestPipeline.ItemOutcome item = o.items().get(0);
        if (item.status() != IngestPipeline.Status.ACCEPTED) {
            log.debug("Storefront identify refused: {}", item.error());
            return null;
        }
        return item.customerId();
    }

    private int ingest(TrackingSite site, String customerId, List<Visitor.Buffered> events) {
        if (events.isEmpty()) return 0;
        List<IngestRecord> records = new ArrayList<>();
        for (Visitor.Buffered b : events) {
            Map<String, Object> p = new LinkedHashMap<>(b.properties() == null ? Map.of() : b.properties());
            p.put("channel", "storefront");
            if (site.storeId() != null) p.put("storeId", site.storeId());
            ProfileInput profile = ProfileInput.builder().customerId(customerId).source("tracking:" + site.key()).at(b.at()).build();
            records.add(new IngestRecord(b.eventId(), b.type(), b.at(), profile, null, null, null, null, p));
        }
        IngestPipeline.Outcome o = pipeline.write(records, true, "tracking:" + site.key(), "storefront");
        return (int) o.items().stream().filter(i -> i.status() == IngestPipeline.Status.ACCEPTED).count();
    }

    private static String text(JsonNode n) {
        return n != null && n.isString() ? n.asString() : null;
    }

    private static Instant time(String text, Instant now) {
        if (text == null) return now;
        try {
            Instant t = OffsetDateTime.parse(text).toInstant();
            // browsers' clocks drift: never in the future, at most a day back
            if (t.isAfter(now)) return now;
            if (t.isBefore(now.minus(Duration.ofDays(1)))) return now.minus(Duration.ofDays(1));
            return t;
        } catch (DateTimeParseException e) {
            return now;
        }
    }

    /** Scalar properties only, named plainly, bounded in number and size. */
    private static Map<String, Object> properties(JsonNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (node == null || !node.isObject()) return out;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (out.size() >= 20 || !PROP.matcher(e.getKey()).matches()) continue;
            JsonNode v = e.getValue();
            if (v.isString()) {
                String s = v.asString();
                out.put(e.getKey(), s.length() > 500 ? s.substring(0, 500) : s);
            } else if (v.isNumber()) {
                out.put(e.getKey(), v.numberValue());
            } else if (v.isBoolean()) {
                out.put(e.getKey(), v.asBoolean());
            }
        }
        return out;
    }

    /** Visitors stay attached to the surviving profile when customers merge. */
    @EventListener
    void on(CustomersMerged e) {
        mongo.updateMulti(Query.query(Criteria.where("customerId").is(e.absorbedId())),
                Update.update("customerId", e.survivorId()), Visitor.class);
    }

    /** Anonymous visitors who never identified are forgotten after the retention period. */
    @Scheduled(cron = "0 15 4 * * *")
    @SchedulerLock(name = "tracking-visitor-retention")
    void forgetAnonymous() {
        long n = mongo.remove(Query.query(Criteria.where("customerId").is(null)
                .and("lastSeen").lt(clock.instant().minus(props.anonymousRetention()))), Visitor.class).getDeletedCount();
        if (n > 0) log.info("Forgot {} anonymous storefront visitors", n);
    }
}
