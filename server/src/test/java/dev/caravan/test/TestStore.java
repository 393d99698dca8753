package dev.caravan.test;

import java.util.Set;

import dev.caravan.customer.ContactNormalizer;
import org.bson.Document;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.data.mongodb.core.MongoTemplate;

/** Empties the store between tests; keeps users so the admin can still log in. Indexes stay in place. */
@TestComponent
public class TestStore {

    private static final Set<String> KEEP = Set.of("users");

    private final MongoTemplate mongo;
    private final ContactNormalizer normalizer;

    public TestStore(MongoTemplate mongo, ContactNormalizer normalizer) {
        this.mongo = mongo;
        this.normalizer = normalizer;
    }

    /** The {@code identity_keys} id of an e-mail address (a blind index, see security.BlindIndex). */
    public String emailKey(String email) {
        return normalizer.emailKey(normalizer.email(email));
    }

    /** The {@code identity_keys} id of an E.164 phone number. */
    public String phoneKey(String e164) {
        return normalizer.phoneKey(e164);
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
