package dev.caravan.campaign;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

import dev.caravan.common.job.Job;
import dev.caravan.common.job.JobService;
import dev.caravan.common.store.ByIds;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.ConflictException;
import dev.caravan.common.web.FieldError;
import dev.caravan.common.web.NotFoundException;
import dev.caravan.customer.Customer;
import dev.caravan.messaging.Channel;
import dev.caravan.messaging.template.TemplateStore;
import dev.caravan.segment.SegmentService;
import jakarta.annotation.PreDestroy;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/**
 * Broadcast campaigns: validation, launch (the audience snapshot with suppression, A/B groups and each recipient's
 * due time, as a job), pause, resume and cancel. Sending is the {@link CampaignDispatcher}'s.
 */
@Service
public class CampaignService {

    private static final Logger log = LoggerFactory.getLogger(CampaignService.class);
    static final String JOB_KIND = "campaign-launch";
    private static final Pattern TEMPLATE = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,79}$");
    private static final Pattern VARIANT = Pattern.compile("^[A-Za-z0-9_-]{1,20}$");
    private static final Pattern LANGUAGE_KEY = Pattern.compile("^(default|[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,2})$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MongoTemplate mongo;
    private final SegmentService segments;
    private final TemplateStore templates;
    private final JobService jobs;
    private final Audience audience;
    private final Suppressions suppressions;
    private final Clock clock;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "campaign-launch");
        t.setDaemon(true);
        return t;
    });

    CampaignService(MongoTemplate mongo, SegmentService segments, TemplateStore templates, JobService jobs,
                    Audience audience, Suppressions suppressions, Clock clock) {
        this.mongo = mongo;
        this.segments = segments;
        this.templates = templates;
        this.jobs = jobs;
        this.audience = audience;
        this.suppressions = suppressions;
        this.clock = clock;
    }

    public Campaign create(CampaignRequest r, String actor) {
        Campaign c = validate(r);
        c.id = "cmp_" + new ObjectId().toHexString();
        c.status = Campaign.DRAFT;
        c.createdBy = actor;
        c.createdAt = clock.instant();
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        c.secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        mongo.insert(c);
        return c;
    }

    public List<Campaign> list() {
        return mongo.find(new Query().with(Sort.by(Sort.Direction.DESC, "createdAt")), Campaign.class);
    }

    public Campaign get(String id) {
        Campaign c = id == null ? null : mongo.findById(id, Campaign.class);
        if (c == null) throw new NotFoundException("campaign " + id + " not found");
        return c;
    }

    Campaign validate(CampaignRequest r) {
        if (r == null) throw new BadRequestException("the campaign needs a body");
        List<FieldError> errors = new ArrayList<>();
        Campaign c = new Campaign();
        c.name = r.name() == null ? null : r.name().trim();
        if (c.name == null || c.name.isEmpty() || c.name.length() > 120) errors.add(new FieldError("name", "is required (at most 120 characters)"));
        c.description = r.description();
        c.segmentId = r.segmentId();
        if (r.segmentId() == null) {
            errors.add(new FieldError("segmentId", "is required"));
        } else {
            try {
                segments.require(r.segmentId());
            } catch (NotFoundException e) {
                errors.add(new FieldError("segmentId", e.getMessage()));
            }
        }
        c.channels = new ArrayList<>();
        if (r.channels() == null || r.channels().isEmpty()) {
            errors.add(new FieldError("channels", "name at least one channel (" + Channel.ids() + ")"));
        } else {
            for (String ch : r.channels()) {
                try {
                    Channel channel = Channel.of(ch);
                    if (channel == Channel.AMAZON || channel == Channel.EBAY) {
                        errors.add(new FieldError("channels", ch + " never carries marketing (marketplace policy)"));
                    }
                    if (!c.channels.contains(channel.id())) c.channels.add(channel.id());
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError("channels", e.getMessage()));
                }
            }
        }
        c.channelMode = r.channelMode() == null ? "first" : r.channelMode();
        if (!Set.of("first", "all").contains(c.channelMode)) errors.add(new FieldError("channelMode", "must be first or all"));
        Map<String, Object> baseParams = r.params() == null ? Map.of() : r.params();
        c.variants = new ArrayList<>();
        if (r.abTest() == null) {
            checkTemplates("templates", r.templates(), c.channels, errors, true);
            c.variants.add(new Campaign.VariantSpec("main", r.templates() == null ? Map.of() : r.templates(), baseParams, 100));
        } else {
            CampaignRequest.AbTest ab = r.abTest();
            if (ab.variants() == null || ab.variants().size() < 2 || ab.variants().size() > 5) {
                errors.add(new FieldError("abTest.variants", "give 2 to 5 variants"));
            } else {
                Set<String> ids = new HashSet<>();
                for (int i = 0; i < ab.variants().size(); i++) {
                    CampaignRequest.Variant v = ab.variants().get(i);
                    String p = "abTest.variants[" + i + "]";
                    if (v.id() == null || !VARIANT.matcher(v.id()).matches() || !ids.add(v.id())) {
                        errors.add(new FieldError(p + ".id", "a unique id of letters, digits, - or _"));
                    }
                    Map<String, String> t = v.templates() != null ? v.templates() : r.templates();
                    checkTemplates(p + ".templates", t, c.channels, errors, true);
                    int weight = v.weight() == null ? 1 : v.weight();
                    if (weight < 1 || weight > 100) errors.add(new FieldError(p + ".weight", "must be 1..100"));
                    Map<String, Object> params = new LinkedHashMap<>(baseParams);
                    if (v.params() != null) params.putAll(v.params());
                    c.variants.add(new Campaign.VariantSpec(v.id(), t == null ? Map.of() : t, params, weight));
                }
            }
            c.testShare = ab.testShare() == null ? 0.2 : ab.testShare();
            if (c.testShare <= 0 || c.testShare >= 1) errors.add(new FieldError("abTest.testShare", "must lie between 0 and 1 (exclusive)"));
            try {
                c.testWindow = Duration.parse(ab.window() == null ? "PT4H" : ab.window());
                if (c.testWindow.compareTo(Duration.ofMinutes(1)) < 0 || c.testWindow.compareTo(Duration.ofDays(14)) > 0) {
                    errors.add(new FieldError("abTest.window", "must be between PT1M and P14D"));
                }
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("abTest.window", "must be an ISO-8601 duration such as PT4H"));
            }
            c.metric = ab.metric() == null ? "open" : ab.metric();
            if (!Set.of("open", "click", "conversion").contains(c.metric)) {
                errors.add(new FieldError("abTest.metric", "must be open, click or conversion"));
            }
            if ("click".equals(c.metric) && r.link() == null) errors.add(new FieldError("link", "is required to measure clicks"));
        }
        c.link = r.link();
        if (r.link() != null) {
            try {
                URI u = URI.create(r.link());
                if (!Set.of("http", "https").contains(String.valueOf(u.getScheme())) || u.getHost() == null || r.link().length() > 2000) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("link", "must be an http(s) URL"));
            }
        }
        c.schedule = r.schedule() == null ? new CampaignRequest.Schedule("now", null, null, null) : r.schedule();
        checkSchedule(c.schedule, errors);
        if (r.coupon() != null) {
            if (r.coupon().definitionId() == null || !Pattern.matches("^[A-Za-z0-9_.:-]{1,80}$", r.coupon().definitionId())) {
                errors.add(new FieldError("coupon.definitionId", "is required: the coupon definition to issue from"));
            }
            c.couponDefinitionId = r.coupon().definitionId();
        }
        CampaignRequest.Suppression s = r.suppression();
        c.excludeSegments = s == null || s.excludeSegments() == null ? List.of() : List.copyOf(s.excludeSegments());
        for (String seg : c.excludeSegments) {
            try {
                segments.require(seg);
            } catch (NotFoundException e) {
                errors.add(new FieldError("suppression.excludeSegments", e.getMessage()));
            }
        }
        c.recentBuyersDays = s == null ? null : s.recentBuyersDays();
        if (c.recentBuyersDays != null && (c.recentBuyersDays < 1 || c.recentBuyersDays > 3650)) {
            errors.add(new FieldError("suppression.recentBuyersDays", "must be 1..3650"));
        }
        c.excludeInJourney = s != null && Boolean.TRUE.equals(s.inJourney());
        c.perHour = r.throttle() == null ? null : r.throttle().perHour();
        if (c.perHour != null && c.perHour < 1) errors.add(new FieldError("throttle.perHour", "must be at least 1"));
        if (!errors.isEmpty()) throw new BadRequestException("the campaign is invalid", errors);
        return c;
    }

    private void checkTemplates(String path, Map<String, String> t, List<String> channels, List<FieldError> errors,
                                boolean required) {
        if (t == null || t.isEmpty()) {
            if (required) errors.add(new FieldError(path, "give a template per language, at least {\"default\": \"name\"}"));
            return;
        }
        t.forEach((lang, name) -> {
            if (!LANGUAGE_KEY.matcher(lang).matches()) errors.add(new FieldError(path, "'" + lang + "' is not default or a language tag"));
            if (name == null || !TEMPLATE.matcher(name).matches()) {
                errors.add(new FieldError(path + "." + lang, "is not a template name"));
            } else if (channels.stream().noneMatch(ch -> templates.exists(name, ch))) {
                errors.add(new FieldError(path + "." + lang, "template '" + name + "' exists for none of " + channels));
            }
        });
    }

    private static void checkSchedule(CampaignRequest.Schedule s, List<FieldError> errors) {
        String type = s.type() == null ? "now" : s.type();
        switch (type) {
            case "now" -> { }
            case "at" -> {
                try {
                    Instant.parse(String.valueOf(s.at()));
                } catch (DateTimeParseException e) {
                    errors.add(new FieldError("schedule.at", "must be an instant such as 2026-11-27T09:00:00Z"));
                }
            }
            case "local_time" -> {
                try {
                    LocalTime.parse(String.valueOf(s.time()));
                } catch (DateTimeParseException e) {
                    errors.add(new FieldError("schedule.time", "must be a local time such as 10:00"));
                }
                if (s.date() != null) {
                    try {
                        LocalDate.parse(s.date());
                    } catch (DateTimeParseException e) {
                        errors.add(new FieldError("schedule.date", "must be a date such as 2026-11-27"));
                    }
                }
            }
            default -> errors.add(new FieldError("schedule.type", "must be now, at or local_time"));
        }
    }

    /** Starts the audience snapshot; the campaign is {@code launching} until it is stored. */
    public Campaign launch(String id, String actor) {
        Campaign c = get(id);
        if (Campaign.PAUSED.equals(c.status)) return resume(id);
        if (!Campaign.DRAFT.equals(c.status)) throw new ConflictException("campaign " + id + " is " + c.status + "; only drafts are launched");
        Job job = jobs.create(JOB_KIND, Map.of("campaignId", id), actor);
        Campaign updated = mongo.findAndModify(Query.query(Criteria.where("_id").is(id)),
                new Update().set("status", Campaign.LAUNCHING).set("launchJobId", job.getId()).set("launchedAt", clock.instant()),
                org.springframework.data.mongodb.core.FindAndModifyOptions.options().returnNew(true), Campaign.class);
        executor.submit(() -> snapshot(updated, job.getId()));
        return updated;
    }

    /** The audience now: segment members minus suppressions, each with group, variant and due time. */
    private void snapshot(Campaign c, String jobId) {
        try {
            jobs.started(jobId);
            Instant now = clock.instant();
            List<String> ids = segments.audience(c.segmentId);
            Suppressions.Result excluded = suppressions.apply(c, ids, now);
            List<CampaignSend> sends = new ArrayList<>();
            Instant firstTest = null;
            long n = 0;
            for (int i = 0; i < ids.size(); i += 500) {
                List<String> chunk = ids.subList(i, Math.min(ids.size(), i + 500));
                for (Customer cust : ByIds.find(mongo, chunk, Customer.class)) {
                    String cid = cust.getId();
                    ZoneId zone = audience.zoneOf(cust);
                    String reason = excluded.reasons().get(cid);
                    String sid = CampaignSend.idOf(c.id, cid);
                    if (reason != null) {
                        sends.add(new CampaignSend(sid, c.id, cid, "all", null, "suppressed", null, zone.getId(), reason,
                                null, null, null, null, null, null, null, null, null));
                        continue;
                    }
                    if (c.abTest() && Audience.bucket(c.id, cid, "test") >= c.testShare) {
                        sends.add(new CampaignSend(sid, c.id, cid, "rest", null, "waiting", null, zone.getId(), null,
                                null, null, null, null, null, null, null, null, null));
                        continue;
                    }
                    Instant due = Audience.due(c.schedule, zone, now);
                    String variant = c.abTest() ? Audience.variant(c.id, cid, c.variants) : "main";
                    if (c.abTest() && (firstTest == null || due.isBefore(firstTest))) firstTest = due;
                    sends.add(new CampaignSend(sid, c.id, cid, c.abTest() ? "test" : "all", variant, "pending", due,
                            zone.getId(), null, null, null, null, null, null, null, null, null, null));
                }
                insert(sends);
                n += sends.size();
                sends.clear();
                jobs.progress(jobId, ids.isEmpty() ? 100 : 100.0 * Math.min(ids.size(), i + 500) / ids.size(), Map.of("recipients", n));
            }
            Update u = new Update().set("status", c.abTest() ? Campaign.TESTING : Campaign.RUNNING)
                    .set("tokens", c.perHour == null ? 0.0 : Math.min(c.perHour, 1.0 * c.perHour / 60)).set("tokensAt", now);
            if (c.abTest()) u.set("testEndsAt", (firstTest == null ? now : firstTest).plus(c.testWindow));
            mongo.updateFirst(Query.query(Criteria.where("_id").is(c.id).and("status").is(Campaign.LAUNCHING)), u, Campaign.class);
            Map<String, Long> counters = new LinkedHashMap<>();
            counters.put("audience", (long) ids.size());
            counters.put("suppressed", (long) excluded.reasons().size());
            jobs.succeeded(jobId, counters, null);
        } catch (RuntimeException e) {
            log.warn("Launching campaign {} failed", c.id, e);
            mongo.updateFirst(Query.query(Criteria.where("_id").is(c.id)), new Update().set("status", Campaign.FAILED)
                    .set("message", "the launch failed: " + e.getMessage()), Campaign.class);
            jobs.failed(jobId, "the launch failed: " + e.getMessage());
        }
    }

    private void insert(List<CampaignSend> sends) {
        if (sends.isEmpty()) return;
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, CampaignSend.class);
        sends.forEach(s -> bulk.replaceOne(Query.query(Criteria.where("_id").is(s.id())), s,
                org.springframework.data.mongodb.core.FindAndReplaceOptions.options().upsert()));
        bulk.execute();
    }

    public Campaign pause(String id) {
        Campaign c = get(id);
        if (!Set.of(Campaign.RUNNING, Campaign.TESTING).contains(c.status)) {
            throw new ConflictException("campaign " + id + " is " + c.status + "; only running campaigns pause");
        }
        return transition(id, c.status, new Update().set("status", Campaign.PAUSED).set("resumeStatus", c.status));
    }

    public Campaign resume(String id) {
        Campaign c = get(id);
        if (!Campaign.PAUSED.equals(c.status)) throw new ConflictException("campaign " + id + " is " + c.status + ", not paused");
        return transition(id, Campaign.PAUSED, new Update().set("status", c.resumeStatus == null ? Campaign.RUNNING : c.resumeStatus));
    }

    /** Stops the campaign; sends not handed to messaging yet are cancelled (messages already queued are not). */
    public Campaign cancel(String id) {
        Campaign c = get(id);
        if (Set.of(Campaign.COMPLETED, Campaign.CANCELLED, Campaign.FAILED).contains(c.status)) {
            throw new ConflictException("campaign " + id + " is " + c.status);
        }
        Campaign out = transition(id, c.status, new Update().set("status", Campaign.CANCELLED).set("finishedAt", clock.instant()));
        mongo.updateMulti(Query.query(Criteria.where("campaignId").is(id).and("state").in("pending", "waiting")),
                new Update().set("state", "cancelled"), CampaignSend.class);
        return out;
    }

    private Campaign transition(String id, String from, Update u) {
        Campaign c = mongo.findAndModify(Query.query(Criteria.where("_id").is(id).and("status").is(from)), u,
                org.springframework.data.mongodb.core.FindAndModifyOptions.options().returnNew(true), Campaign.class);
        if (c == null) throw new ConflictException("campaign " + id + " changed meanwhile; try again");
        return c;
    }

    Collection<String> variantIds(Campaign c) {
        return c.variants.stream().map(Campaign.VariantSpec::id).toList();
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
