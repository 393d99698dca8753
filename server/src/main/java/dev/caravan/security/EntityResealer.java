package dev.caravan.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

import com.mongodb.client.MongoCursor;
import org.bson.Document;
import org.bson.types.Binary;
import org.springframework.data.mapping.PersistentPropertyAccessor;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.MongoPersistentEntity;
import org.springframework.data.mongodb.core.mapping.MongoPersistentProperty;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Re-encrypts the {@link Encrypted} properties of one mapped document class: reads the raw documents in chunks of
 * 64 ids, and rewrites (with {@code $set} of the top-level properties that hold encrypted values) those with a value
 * sealed under an older key or still stored in plaintext (written before encryption). The rewrite goes through the
 * mapping, so it is sealed under the current primary key.
 * <p>
 * A chunk is read and written inside {@code guard} (e.g. the customer write lock), so writers in this server that
 * hold the same guard cannot interleave; values rewritten by another server between the read and the write of a
 * chunk would be overwritten with the older value, so run rotation when no second server writes profiles.
 */
@Component
public class EntityResealer {

    static final int CHUNK = 64;

    private final MongoTemplate mongo;
    private final SecretBox box;

    public EntityResealer(MongoTemplate mongo, SecretBox box) {
        this.mongo = mongo;
        this.box = box;
    }

    /**
     * A target for one document class.
     *
     * @param guard      runs each chunk (read + write), e.g. under a lock; {@code Runnable::run} for none
     * @param extraNeed  documents that need rewriting for another reason (e.g. a missing blind index); may be null
     * @param extraSet   further fields to set when a document is rewritten, from the mapped object; may be null
     */
    public <T> ResealTarget target(Class<T> type, Consumer<Runnable> guard, Predicate<Document> extraNeed,
                                   Function<T, Map<String, Object>> extraSet) {
        MongoPersistentEntity<?> entity = mongo.getConverter().getMappingContext().getRequiredPersistentEntity(type);
        String collection = entity.getCollection();
        return new ResealTarget() {
            @Override
            public String name() {
                return collection;
            }

            @Override
            public long estimate() {
                return mongo.getCollection(collection).estimatedDocumentCount();
            }

            @Override
            public Counts reseal(LongConsumer progress) {
                return run(type, entity, guard, extraNeed, extraSet, progress);
            }
        };
    }

    private <T> ResealTarget.Counts run(Class<T> type, MongoPersistentEntity<?> entity, Consumer<Runnable> guard,
                                        Predicate<Document> extraNeed, Function<T, Map<String, Object>> extraSet,
                                        LongConsumer progress) {
        List<MongoPersistentProperty> sealedProps = new ArrayList<>();
        for (MongoPersistentProperty p : entity) {
            if (holdsEncrypted(p, 0)) sealedProps.add(p);
        }
        List<Object> ids = new ArrayList<>();
        try (MongoCursor<Document> c = mongo.getCollection(entity.getCollection()).find()
                .projection(new Document("_id", 1)).batchSize(5000).iterator()) {
            while (c.hasNext()) ids.add(c.next().get("_id"));
        }
        long[] rewritten = {0};
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Object> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            guard.accept(() -> rewritten[0] += chunk(type, entity, sealedProps, chunk, extraNeed, extraSet));
            progress.accept(chunk.size());
        }
        return new ResealTarget.Counts(ids.size(), rewritten[0]);
    }

    private <T> int chunk(Class<T> type, MongoPersistentEntity<?> entity, List<MongoPersistentProperty> sealedProps,
                          List<Object> ids, Predicate<Document> extraNeed, Function<T, Map<String, Object>> extraSet) {
        BulkOperations bulk = null;
        int n = 0;
        for (Document raw : mongo.getCollection(entity.getCollection()).find(new Document("_id", new Document("$in", ids)))) {
            boolean need = (extraNeed != null && extraNeed.test(raw)) || staleOrPlain(raw, entity);
            if (!need) continue;
            T object = mongo.getConverter().read(type, raw);
            PersistentPropertyAccessor<T> accessor = entity.getPropertyAccessor(object);
            Update u = new Update();
            for (MongoPersistentProperty p : sealedProps) {
                Object v = accessor.getProperty(p);
                if (v != null) u.set(p.getName(), v);
            }
            if (extraSet != null) extraSet.apply(object).forEach(u::set);
            if (u.getUpdateObject().isEmpty()) continue;
            if (bulk == null) bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, type);
            bulk.updateOne(Query.query(Criteria.where("_id").is(raw.get("_id"))), u);
            n++;
        }
        if (bulk != null) bulk.execute();
        return n;
    }

    /** Whether a property is encrypted or holds (in embedded documents) encrypted properties. */
    private boolean holdsEncrypted(MongoPersistentProperty p, int depth) {
        if (p.isAnnotationPresent(Encrypted.class)) return true;
        if (depth > 3 || !p.isEntity() || p.isMap()) return false;
        MongoPersistentEntity<?> nested = mongo.getConverter().getMappingContext().getPersistentEntity(p.getActualType());
        if (nested == null) return false;
        for (MongoPersistentProperty q : nested) {
            if (holdsEncrypted(q, depth + 1)) return true;
        }
        return false;
    }

    /** Whether a raw document holds a value sealed under an older key, or an encrypted property in plaintext. */
    boolean staleOrPlain(Document raw, MongoPersistentEntity<?> entity) {
        for (MongoPersistentProperty p : entity) {
            Object v = raw.get(p.getFieldName());
            if (v == null) continue;
            if (p.isAnnotationPresent(Encrypted.class)) {
                if (EncryptedFieldConverter.isEncrypted(v)) {
                    if (!box.isCurrent(EncryptedFieldConverter.ciphertext(v))) return true;
                } else if (!empty(v)) {
                    return true;
                }
            } else if (p.isEntity() && !p.isMap()) {
                MongoPersistentEntity<?> nested = mongo.getConverter().getMappingContext()
                        .getPersistentEntity(p.getActualType());
                if (nested == null) continue;
                if (v instanceof Document d && staleOrPlain(d, nested)) return true;
                if (v instanceof Collection<?> items) {
                    for (Object item : items) {
                        if (item instanceof Document d && staleOrPlain(d, nested)) return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean empty(Object v) {
        return v instanceof String s && s.isEmpty() || v instanceof Collection<?> c && c.isEmpty()
                || v instanceof Map<?, ?> m && m.isEmpty() || v instanceof Binary b && b.length() == 0;
    }
}
