package dev.caravan.audit;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.caravan.common.audit.AuditEvent;
import dev.caravan.common.web.PageResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The append-only audit log: listens to {@link AuditEvent}s and inserts one {@link AuditEntry} for each. There is
 * deliberately no update or delete here (nor an API for it). Missing who/where are taken from the current request.
 */
@Service
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
    private final MongoTemplate mongo;
    private final Clock clock;
    private final AuditProperties props;

    AuditLog(MongoTemplate mongo, Clock clock, AuditProperties props) {
        this.mongo = mongo;
        this.clock = clock;
        this.props = props;
    }

    /** Appends the event. A failure to write is logged, never thrown into the action that was audited. */
    @EventListener
    public void on(AuditEvent event) {
        try {
            mongo.insert(entry(event));
        } catch (RuntimeException e) {
            log.error("Could not write the audit entry {} {}: {}", event.action(), event.target(), e.toString());
        }
    }

    AuditEntry entry(AuditEvent e) {
        Instant at = clock.instant();
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        // time, then this server's sequence (order within one millisecond), then randomness (unique across servers)
        String id = ID_TIME.format(at) + "-" + String.format("%012x", sequence.incrementAndGet()) + "-"
                + HexFormat.of().formatHex(random);
        HttpServletRequest request = currentRequest();
        String actor = e.actor() != null ? e.actor() : currentActor();
        String address = e.remoteAddress() != null ? e.remoteAddress() : request == null ? null : request.getRemoteAddr();
        String agent = e.userAgent() != null ? e.userAgent() : request == null ? null : request.getHeader("User-Agent");
        if (agent != null && agent.length() > 512) agent = agent.substring(0, 512);
        String diff = e.before() == null && e.after() == null ? null : diff(e.before(), e.after());
        return new AuditEntry(id, at, actor == null ? "system" : actor, e.action(), e.target(), e.summary(),
                e.outcome() == null ? "success" : e.outcome(), address, agent,
                e.details() == null ? Map.of() : e.details(), diff);
    }

    /** Unified diff (3 lines of context) of every named text that differs; java-diff-utils. */
    String diff(Map<String, String> before, Map<String, String> after) {
        Map<String, String> a = before == null ? Map.of() : before;
        Map<String, String> b = after == null ? Map.of() : after;
        SortedSet<String> names = new TreeSet<>(a.keySet());
        names.addAll(b.keySet());
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            String x = a.get(name);
            String y = b.get(name);
            if (x != null && x.equals(y)) continue;
            List<String> from = x == null ? List.of() : List.of(x.split("\n", -1));
            List<String> to = y == null ? List.of() : List.of(y.split("\n", -1));
            List<String> lines = UnifiedDiffUtils.generateUnifiedDiff(x == null ? "/dev/null" : "a/" + name,
                    y == null ? "/dev/null" : "b/" + name, from, DiffUtils.diff(from, to), 3);
            lines.forEach(l -> out.append(l).append('\n'));
        }
        if (out.length() > props.maxDiffChars()) {
            return out.substring(0, props.maxDiffChars()) + "\n... (diff cut at " + props.maxDiffChars() + " characters)\n";
        }
        return out.toString();
    }

    /** Newest first; every filter is optional; {@code action} ending in "." matches a prefix (e.g. "login."). */
    public PageResponse<AuditEntry> search(String actor, String action, Instant from, Instant to, int page, int size) {
        List<Criteria> all = new ArrayList<>();
        if (actor != null && !actor.isBlank()) all.add(Criteria.where("actor").is(actor.trim()));
        if (action != null && !action.isBlank()) {
            String a = action.trim();
            all.add(a.endsWith(".") ? Criteria.where("action").regex("^" + java.util.regex.Pattern.quote(a))
                    : Criteria.where("action").is(a));
        }
        if (from != null || to != null) {
            Criteria c = Criteria.where("at");
            if (from != null) c = c.gte(from);
            if (to != null) c = c.lt(to);
            all.add(c);
        }
        Query q = all.isEmpty() ? new Query() : new Query(new Criteria().andOperator(all.toArray(Criteria[]::new)));
        long total = mongo.count(q, AuditEntry.class);
        q.with(Sort.by(Sort.Direction.DESC, "_id")).skip((long) page * size).limit(size);
        return PageResponse.of(mongo.find(q, AuditEntry.class), total, page, size);
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attrs
                ? attrs.getRequest() : null;
    }

    private static String currentActor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth == null || !auth.isAuthenticated() || "anonymousUser".equals(auth.getName()) ? null : auth.getName();
    }
}
