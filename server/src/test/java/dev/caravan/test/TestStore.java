package dev.caravan.test;

import java.util.Set;

import org.bson.Document;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.data.mongodb.core.MongoTemplate;

/** Empties the store between tests; keeps users so the admin can still log in. Indexes stay in place. */
@TestComponent
public class TestStore {

    private static final Set<String> KEEP = Set.of("users");

    private final MongoTemplate mongo;

    public TestStore(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    public void clear() {
        for (String name : mongo.getCollectionNames()) {
            if (!KEEP.contains(name) && !name.startsWith("system.")) {
                mongo.getCollection(name).deleteMany(new Document());
            }
        }
    }

    public MongoTemplate mongo() {
        return mongo;
    }
}
