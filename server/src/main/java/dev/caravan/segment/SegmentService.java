package dev.caravan.segment;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.caravan.common.job.Job;
import dev.caravan.common.job.JobService;
import dev.caravan.common.store.ByIds;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.ConflictException;
import dev.caravan.common.web.NotFoundException;
import dev.caravan.common.web.PageResponse;
import dev.caravan.customer.Customer;
import org.bson.types.ObjectId;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Saved segments: create, edit, delete, live counts, previews, member lists and exports. The entry point for other
 * features too (campaigns take their audiences from {@link #audience}).
 */
@Service
public class SegmentService {

    /** The API form of a segment. */
    public record SegmentView(String id, String name, String description, JsonNode condition, long version,
                              String createdBy, Instant createdAt, String updatedBy, Instant updatedAt,
                              String refreshJobId) {
    }

    /** A live count. */
    public record CountView(String segmentId, long count, long scanned, long tookMs, Instant evaluatedAt) {
    }

    /** A customer in a preview sample or member list. */
    public record MemberView(String customerId, String name, String email, String country, String language,
                             String tier, String lifecycle, long orders, BigDecimal spend, Instant lastOrderAt,
                             Instant since) {
        static MemberView of(Customer c, Instant since) {
            return new MemberView(c.getId(), c.name(), c.getEmails().isEmpty() ? null : c.getEmails().get(0),
                    c.getCountry(), c.getLanguage(), c.getTier(), c.getLifecycle(), c.getMetrics().orderCount(),
                    c.getMetrics().totalSpend(), c.getMetrics().lastOrderAt(), since);
        }
    }

    /** What a condition would select now, before saving it. */
    public record PreviewView(long count, long scanned, long tookMs, boolean narrowedByStore, boolean expensive,
                              List<CompiledCondition.Warning> warnings, List<MemberView> sample, JsonNode condition) {
    }

    private final MongoTemplate mongo;
    private final ConditionParser parser;
    private final SegmentCatalog catalog;
    private final SegmentEvaluator evaluator;
    private final SegmentJobs jobs;
    private final JobService jobService;
    private final SegmentProperties props;
    private final JsonMapper json;
    private final Clock clock;
    private final SegmentWorker worker;

    SegmentService(MongoTemplate mongo, ConditionParser parser, SegmentCatalog catalog, SegmentEvaluator evaluator,
                   SegmentJobs jobs, JobService jobService, SegmentProperties props, JsonMapper json, Clock clock,
                   SegmentWorker worker) {
        this.worker = worker;
        this.mongo = mongo;
        this.parser = parser;
        this.catalog = catalog;
        this.evaluator = evaluator;
        this.jobs = jobs;
        this.jobService = jobService;
        this.props = props;
        this.json = json;
        this.clock = clock;
    }

    public List<SegmentView> list() {
        return mongo.find(new Query().with(Sort.by("name")), Segment.class).stream().map(this::view).toList();
    }

    public SegmentView get(String id) {
        return view(require(id));
    }

    public Segment require(String id) {
        Segment s = id == null ? null : mongo.findById(id, Segment.class);
        if (s == null) throw new NotFoundException("segment " + id + " not found");
        return s;
    }

    public SegmentView create(JsonNode body, String actor) {
        ConditionParser.Parsed p = parser.parseSegment(body);
        Instant now = clock.instant();
        Segment s = new Segment("seg_" + new ObjectId().toHexString(), p.name(), p.description(),
                p.canonical().toString(), 1, actor, now, actor, now, null);
        try {
            mongo.insert(s);
        } catch (DuplicateKeyException e) {
            throw new ConflictException("a segment named '" + p.name() + "' exists already");
        }
        return view(fill(s, actor));
    }

    public SegmentView update(String id, JsonNode body, String actor) {
        Segment old = require(id);
        ConditionParser.Parsed p = parser.parseSegment(body);
        Segment s = new Segment(old.id(), p.name(), p.description(), p.canonical().toString(), old.version() + 1,
                old.createdBy(), old.createdAt(), actor, clock.instant(), old.refreshJobId());
        try {
            mongo.save(s);
        } catch (DuplicateKeyException e) {
            throw new ConflictException("a segment named '" + p.name() + "' exists already");
        }
        return view(fill(s, actor));
    }

    private Segment fill(Segment s, String actor) {
        catalog.invalidate();
        Job job = jobs.fill(s, actor);
        mongo.updateFirst(Query.query(Criteria.where("_id").is(s.id())), Update.update("refreshJobId", job.getId()), Segment.class);
        return new Segment(s.id(), s.name(), s.description(), s.condition(), s.version(), s.createdBy(), s.createdAt(),
                s.updatedBy(), s.updatedAt(), job.getId());
    }

    /** Deletes the segment; its memberships go without exit events. */
    public void delete(String id) {
        require(id);
        mongo.remove(Query.query(Criteria.where("_id").is(id)), Segment.class);
        mongo.updateMulti(Query.query(Criteria.where("segments.id").is(id)),
                new Update().pull("segments", new org.bson.Document("id", id)), SegmentMembership.class);
        mongo.remove(Query.query(Criteria.where("segments").size(0)), SegmentMembership.class);
        catalog.invalidate();
    }

    public Job refresh(String id, String actor) {
        Segment s = fill(require(id), actor);
        return jobService.find(s.refreshJobId()).orElseThrow();
    }

    public Job job(String jobId) {
        return jobService.find(jobId, SegmentJobs.KIND).orElseThrow(() -> new NotFoundException("job " + jobId + " not found"));
    }

    /** Evaluates the saved segment against every customer now. */
    public CountView count(String id) {
        Segment s = require(id);
        SegmentEvaluator.Result r = evaluator.scan(catalog.compile(s).condition(), c -> { });
        return new CountView(id, r.matched(), r.scanned(), r.tookMs(), clock.instant());
    }

    /** The ids of every customer the segment selects now (live evaluation): a campaign's audience. */
    public List<String> audience(String segmentId) {
        return evaluator.ids(catalog.compile(require(segmentId)).condition());
    }

    /** Calls back for every customer the segment selects now. */
    public void forEachMatch(String segmentId, Consumer<Customer> onMatch) {
        evaluator.scan(catalog.compile(require(segmentId)).condition(), onMatch);
    }

    public PreviewView preview(JsonNode body) {
        if (body == null || !body.isObject() || !body.has("condition")) {
            throw new BadRequestException("the preview needs {\"condition\": ...}");
        }
        int sampleSize = body.has("sample") && body.get("sample").canConvertToInt()
                ? Math.max(0, Math.min(100, body.get("sample").asInt())) : props.previewSample();
        Condition c = parser.parseCondition(body.get("condition"));
        CompiledCondition compiled = CompiledCondition.compile(c);
        List<MemberView> sample = new ArrayList<>();
        SegmentEvaluator.Result r = evaluator.scan(compiled, cust -> {
            if (sample.size() < sampleSize) sample.add(MemberView.of(cust, null));
        });
        boolean expensive = compiled.pushdown == null || compiled.needsBehaviour || compiled.needsHistory
                || compiled.warnings.size() > (compiled.pushdown == null ? 1 : 0);
        return new PreviewView(r.matched(), r.scanned(), r.tookMs(), compiled.pushdown != null, expensive,
                compiled.warnings, sample, ConditionParser.toJson(c));
    }

    /** Stored members (kept current by the worker), in customer id order. */
    public PageResponse<MemberView> members(String id, int page, int size) {
        require(id);
        if (page < 0 || size < 1 || size > 1000) throw new BadRequestException("page must be >= 0 and size 1..1000");
        Query q = Query.query(Criteria.where("segments.id").is(id));
        long total = mongo.count(q, SegmentMembership.class);
        q.with(Sort.by("_id")).skip((long) page * size).limit(size);
        List<SegmentMembership> ms = mongo.find(q, SegmentMembership.class);
        return PageResponse.of(views(id, ms), total, page, size);
    }

    /** Every stored member, in chunks (exports). */
    public void forEachMember(String id, Consumer<List<MemberView>> chunk) {
        require(id);
        Query q = Query.query(Criteria.where("segments.id").is(id)).with(Sort.by("_id"));
        List<SegmentMembership> buffer = new ArrayList<>();
        try (var stream = mongo.stream(q, SegmentMembership.class)) {
            stream.forEach(m -> {
                buffer.add(m);
                if (buffer.size() == props.chunk()) {
                    chunk.accept(views(id, buffer));
                    buffer.clear();
                }
            });
        }
        if (!buffer.isEmpty()) chunk.accept(views(id, buffer));
    }

    /** Full customers of a chunk of members, in the chunk's order. */
    public List<Customer> customers(Collection<String> ids) {
        Map<String, Customer> byId = new HashMap<>();
        ByIds.find(mongo, ids, Customer.class).forEach(c -> byId.put(c.getId(), c));
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    private List<MemberView> views(String segmentId, List<SegmentMembership> ms) {
        Map<String, Instant> since = new LinkedHashMap<>();
        for (SegmentMembership m : ms) {
            m.segments().stream().filter(x -> x.id().equals(segmentId)).findFirst()
                    .ifPresent(x -> since.put(m.customerId(), x.since()));
        }
        return customers(since.keySet()).stream().map(c -> MemberView.of(c, since.get(c.getId()))).toList();
    }

    /** True while no membership update is queued or running on this server (benchmarks, tests). */
    public boolean membershipIdle() {
        return worker.idle();
    }

    /** Re-evaluates every customer against every segment now; returns customers, entries, exits. */
    public long[] refreshAll() {
        return jobs.refreshAll();
    }

    public JsonNode schema() {
        return parser.schema();
    }

    private SegmentView view(Segment s) {
        return new SegmentView(s.id(), s.name(), s.description(), json.readTree(s.condition()), s.version(),
                s.createdBy(), s.createdAt(), s.updatedBy(), s.updatedAt(), s.refreshJobId());
    }
}
