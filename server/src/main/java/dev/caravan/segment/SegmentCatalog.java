package dev.caravan.segment;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every saved segment with its compiled condition, cached for the membership worker. Reloaded after a change on
 * this server and at least every few seconds (changes made by another server).
 */
@Component
class SegmentCatalog {

    private static final Logger log = LoggerFactory.getLogger(SegmentCatalog.class);
    private static final Duration MAX_AGE = Duration.ofSeconds(5);

    /** A saved segment ready to evaluate. */
    record Compiled(Segment segment, CompiledCondition condition) {
        String id() {
            return segment.id();
        }
    }

    private final MongoTemplate mongo;
    private final ConditionParser parser;
    private final JsonMapper json;
    private volatile List<Compiled> cached;
    private volatile long loadedAt;

    SegmentCatalog(MongoTemplate mongo, ConditionParser parser, JsonMapper json) {
        this.mongo = mongo;
        this.parser = parser;
        this.json = json;
    }

    List<Compiled> all() {
        List<Compiled> c = cached;
        if (c == null || System.nanoTime() - loadedAt > MAX_AGE.toNanos()) {
            c = load();
        }
        return c;
    }

    void invalidate() {
        cached = null;
    }

    Compiled compile(Segment s) {
        return new Compiled(s, CompiledCondition.compile(parser.parseCondition(json.readTree(s.condition()))));
    }

    private synchronized List<Compiled> load() {
        List<Compiled> out = new java.util.ArrayList<>();
        for (Segment s : mongo.findAll(Segment.class)) {
            try {
                out.add(compile(s));
            } catch (RuntimeException e) {
                log.warn("Segment {} ({}) no longer compiles and is skipped: {}", s.id(), s.name(), e.getMessage());
            }
        }
        cached = List.copyOf(out);
        loadedAt = System.nanoTime();
        return cached;
    }
}
