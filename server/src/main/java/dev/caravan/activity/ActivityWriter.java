package dev.caravan.activity;

import dev.caravan.common.store.ByIds;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.mongodb.MongoBulkWriteException;
import org.springframework.data.mongodb.BulkOperationException;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;

/** Stores behaviour events and interactions; a repeated id is ignored, so replays store nothing twice. */
@Service
public class ActivityWriter {

    private final MongoTemplate mongo;

    public ActivityWriter(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** The ids among these that are already stored. */
    public Set<String> existingEventIds(Collection<String> ids) {
        Set<String> found = new HashSet<>();
        if (ids.isEmpty()) return found;
        ByIds.find(mongo, ids, BehaviourEvent.class, null, q -> q.fields().include("_id"))
                .forEach(e -> found.add(e.id()));
        return found;
    }

    public void insertEvents(List<BehaviourEvent> events) {
        insertIgnoringDuplicates(events, BehaviourEvent.class);
    }

    public void insertInteractions(List<Interaction> interactions) {
        insertIgnoringDuplicates(interactions, Interaction.class);
    }

    private <T> void insertIgnoringDuplicates(List<T> docs, Class<T> type) {
        if (docs.isEmpty()) return;
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, type);
        bulk.insert(docs);
        try {
            bulk.execute();
        } catch (BulkOperationException e) {
            if (e.getErrors().stream().anyMatch(err -> err.getCode() != 11000)) throw e;
        } catch (MongoBulkWriteException e) {
            if (e.getWriteErrors().stream().anyMatch(err -> err.getCode() != 11000)) throw e;
        }
    }
}
