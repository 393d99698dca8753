package dev.caravan.customer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import dev.caravan.security.BlindIndex;
import dev.caravan.security.ResealTarget;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Turns identity keys stored before blind indexes ({@code email:ann@x.com}, {@code phone:+49...},
 * {@code relay:...}) into their hashed form: the {@code identity_keys} documents themselves, and the copies other
 * records keep (an {@code identityKey} field, a {@code movedKeys} list). Part of the re-encryption job; a store
 * written by this version has nothing to migrate, and a pass over it only reads.
 */
@Component
public class IdentityKeyMigration {

    private static final int BATCH = 500;

    private final MongoTemplate mongo;
    private final ContactNormalizer normalizer;

    IdentityKeyMigration(MongoTemplate mongo, ContactNormalizer normalizer) {
        this.mongo = mongo;
        this.normalizer = normalizer;
    }

    /** The hashed form of a plaintext e-mail, phone or relay key; null when it is none (or already hashed). */
    String hashed(Object key) {
        if (!(key instanceof String k)) return null;
        int colon = k.indexOf(':');
        if (colon < 0) return null;
        IdentityKind kind;
        switch (k.substring(0, colon)) {
            case "email": kind = IdentityKind.EMAIL; break;
            case "phone": kind = IdentityKind.PHONE; break;
            case "relay": kind = IdentityKind.RELAY; break;
            default: return null;
        }
        String value = k.substring(colon + 1);
        if (value.isEmpty() || BlindIndex.looksHashed(value)) return null;
        return normalizer.key(kind, value);
    }

    /** Re-keys the {@code identity_keys} collection (insert the hashed key, delete the plaintext one). */
    ResealTarget identityKeys() {
        return target("identity_keys", null, (d, ops) -> {
            String to = hashed(d.get("_id"));
            if (to == null) return false;
            Document copy = new Document(d);
            copy.put("_id", to);
            ops.add(new InsertOneModel<>(copy));
            ops.add(new DeleteOneModel<>(new Document("_id", d.get("_id"))));
            return true;
        });
    }

    /** Replaces plaintext keys in a string field, or in a list-of-strings field, of a collection. */
    ResealTarget field(String collection, String field) {
        return target(collection, field, (d, ops) -> {
            Object v = d.get(field);
            Object to;
            if (v instanceof List<?> list) {
                List<Object> out = new ArrayList<>(list.size());
                boolean changed = false;
                for (Object item : list) {
                    String h = hashed(item);
                    out.add(h == null ? item : h);
                    changed |= h != null;
                }
                to = changed ? out : null;
            } else {
                to = hashed(v);
            }
            if (to == null) return false;
            ops.add(new UpdateOneModel<>(new Document("_id", d.get("_id")), new Document("$set", new Document(field, to))));
            return true;
        });
    }

    private interface Rewrite {
        boolean apply(Document d, List<WriteModel<Document>> ops);
    }

    private ResealTarget target(String collection, String field, Rewrite rewrite) {
        return new ResealTarget() {
            @Override
            public String name() {
                return field == null ? collection : collection + "_" + field;
            }

            @Override
            public long estimate() {
                return mongo.getCollection(collection).estimatedDocumentCount();
            }

            @Override
            public Counts reseal(LongConsumer progress) {
                MongoCollection<Document> c = mongo.getCollection(collection);
                List<WriteModel<Document>> ops = new ArrayList<>();
                long seen = 0, rewritten = 0, pending = 0;
                Document projection = field == null ? null : new Document(field, 1);
                try (MongoCursor<Document> cursor = (projection == null ? c.find() : c.find().projection(projection))
                        .batchSize(5000).iterator()) {
                    while (cursor.hasNext()) {
                        if (rewrite.apply(cursor.next(), ops)) rewritten++;
                        seen++;
                        if (++pending == BATCH) {
                            flush(c, ops);
                            progress.accept(pending);
                            pending = 0;
                        }
                    }
                }
                flush(c, ops);
                progress.accept(pending);
                return new Counts(seen, rewritten);
            }
        };
    }

    private static void flush(MongoCollection<Document> c, List<WriteModel<Document>> ops) {
        if (ops.isEmpty()) return;
        try {
            c.bulkWrite(new ArrayList<>(ops), new BulkWriteOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            // a hashed key written meanwhile by ingestion wins; its plaintext twin is still deleted
            if (e.getWriteErrors().stream().anyMatch(w -> w.getCode() != 11000)) throw e;
        }
        ops.clear();
    }
}
