package dev.caravan.common.job;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bson.types.ObjectId;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/** Creates jobs and records their progress; the job runners themselves live in each feature. */
@Service
public class JobService {

    private final MongoTemplate mongo;
    private final Clock clock;

    public JobService(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    public Job create(String kind, Map<String, String> params, String createdBy) {
        return mongo.insert(new Job(new ObjectId().toHexString(), kind, params, createdBy, clock.instant()));
    }

    public Optional<Job> find(String id) {
        return Optional.ofNullable(mongo.findById(id, Job.class));
    }

    public Optional<Job> find(String id, String kind) {
        return find(id).filter(j -> j.getKind().equals(kind));
    }

    /** Jobs of a kind left queued or running, e.g. by a crash: their runners resume them on start. */
    public List<Job> unfinished(String kind) {
        return mongo.find(Query.query(Criteria.where("kind").is(kind)
                .and("state").in(JobState.QUEUED, JobState.RUNNING)), Job.class);
    }

    public void started(String id) {
        update(id, new Update().set("state", JobState.RUNNING).set("startedAt", clock.instant())
                .set("percent", 0.0).unset("finishedAt").unset("message"));
    }

    public void progress(String id, double percent, Map<String, Long> counters) {
        Update update = new Update().set("percent", Math.min(100.0, percent));
        counters.forEach((k, v) -> update.set("counters." + k, v));
        update(id, update);
    }

    public void warnings(String id, List<String> warnings) {
        update(id, new Update().set("warnings", warnings));
    }

    public void succeeded(String id, Map<String, Long> counters, String message) {
        Update update = new Update().set("state", JobState.SUCCEEDED).set("percent", 100.0)
                .set("finishedAt", clock.instant());
        counters.forEach((k, v) -> update.set("counters." + k, v));
        if (message != null) {
            update.set("message", message);
        }
        update(id, update);
    }

    public void failed(String id, String message) {
        update(id, new Update().set("state", JobState.FAILED).set("finishedAt", clock.instant()).set("message", message));
    }

    private void update(String id, Update update) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), update, Job.class);
    }
}
