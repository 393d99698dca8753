package dev.caravan.workflow;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * Journey versions and which one is current. {@code journey_versions} holds every deployed version, immutable,
 * keyed {@code journey@vN}; {@code journeys} holds one head per journey naming its current version (rollback moves
 * the head back). Version numbers are taken by inserting the next id, so two servers never share one.
 */
class JourneyRepository {

    static final String VERSIONS = "journey_versions";
    static final String HEADS = "journeys";

    /** A journey's head. */
    record Head(String journeyId, String name, int currentVersion, int latestVersion, List<String> triggers,
                List<String> signals, String packagedHash, Date updatedAt, String updatedBy) {

        String processId() {
            return new JourneyId(journeyId, currentVersion).processId();
        }
    }

    private final MongoTemplate mongo;
    private final Clock clock;

    JourneyRepository(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    List<Head> heads() {
        List<Head> out = new ArrayList<>();
        for (Document d : mongo.getCollection(HEADS).find().sort(new Document("_id", 1))) out.add(head(d));
        return out;
    }

    Head head(String journeyId) {
        Document d = mongo.getCollection(HEADS).find(new Document("_id", journeyId)).first();
        return d == null ? null : head(d);
    }

    Document version(String processId) {
        return mongo.getCollection(VERSIONS).find(new Document("_id", processId)).first();
    }

    List<Document> versions(String journeyId) {
        Query q = Query.query(Criteria.where("journeyId").is(journeyId)).with(Sort.by("version"));
        q.fields().exclude("bpmn");
        return mongo.find(q, Document.class, VERSIONS);
    }

    /** Stores a new immutable version and makes it current; returns its number. */
    int add(String journeyId, String bpmn, BpmnCompiler.Compiled compiled, String actor, String source, String packagedHash) {
        Head head = head(journeyId);
        int version = head == null ? 1 : head.latestVersion() + 1;
        while (true) {
            Document doc = new Document("_id", new JourneyId(journeyId, version).processId()).append("journeyId", journeyId)
                    .append("version", version).append("name", compiled.name()).append("bpmn", bpmn)
                    .append("triggers", new ArrayList<>(compiled.triggers()))
                    .append("signals", new ArrayList<>(compiled.signals())).append("steps", compiled.steps())
                    .append("scripted", compiled.scripted()).append("source", source)
                    .append("createdAt", Date.from(clock.instant())).append("createdBy", actor);
            try {
                mongo.getCollection(VERSIONS).insertOne(doc);
                break;
            } catch (com.mongodb.MongoWriteException e) {
                if (e.getError().getCode() != 11000) throw e;
                version++;
            }
        }
        Document set = new Document("name", compiled.name()).append("currentVersion", version)
                .append("triggers", new ArrayList<>(compiled.triggers()))
                .append("signals", new ArrayList<>(compiled.signals()))
                .append("updatedAt", Date.from(clock.instant())).append("updatedBy", actor);
        if (packagedHash != null) set.append("packagedHash", packagedHash);
        mongo.getCollection(HEADS).updateOne(new Document("_id", journeyId),
                new Document("$set", set).append("$max", new Document("latestVersion", version)),
                new com.mongodb.client.model.UpdateOptions().upsert(true));
        return version;
    }

    /** Makes an earlier (or any existing) version current again. */
    void setCurrent(String journeyId, int version, List<String> triggers, List<String> signals, String actor) {
        mongo.getCollection(HEADS).updateOne(new Document("_id", journeyId), new Document("$set",
                new Document("currentVersion", version).append("triggers", triggers).append("signals", signals)
                        .append("updatedAt", Date.from(clock.instant())).append("updatedBy", actor)));
    }

    private static Head head(Document d) {
        return new Head(d.getString("_id"), d.getString("name"), d.getInteger("currentVersion", 1),
                d.getInteger("latestVersion", 1), d.getList("triggers", String.class, List.of()),
                d.getList("signals", String.class, List.of()), d.getString("packagedHash"), d.getDate("updatedAt"), d.getString("updatedBy"));
    }

    static Map<String, Object> describe(Document version) {
        Document d = new Document(version);
        d.remove("bpmn");
        d.put("id", d.remove("_id"));
        return d;
    }
}
