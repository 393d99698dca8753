package dev.caravan.common.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * Primary-key reads of many documents, in chunks of {@value #CHUNK} ids per {@code _id: {$in: [...]}} query. The stock
 * embedded store re-checked every hit against the whole list (n² per query; chunks of 64 kept that in check); the
 * embedded backends now answer this query shape from the index alone ({@link EmbeddedBackends}), so the chunk only
 * bounds the size of one request. Real MongoDB is indifferent to the chunking.
 */
public final class ByIds {

    static final int CHUNK = 256;

    private ByIds() {
    }

    public static <T> List<T> find(MongoTemplate mongo, Collection<?> ids, Class<T> type) {
        return find(mongo, ids, type, null, q -> { });
    }

    /** Same, in a named collection, with a chance to narrow the fields read. */
    public static <T> List<T> find(MongoTemplate mongo, Collection<?> ids, Class<T> type, String collection,
                                   Consumer<Query> customise) {
        List<T> out = new ArrayList<>(ids.size());
        List<Object> chunk = new ArrayList<>(CHUNK);
        for (Object id : ids) {
            chunk.add(id);
            if (chunk.size() == CHUNK) {
                out.addAll(query(mongo, chunk, type, collection, customise));
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) out.addAll(query(mongo, chunk, type, collection, customise));
        return out;
    }

    private static <T> List<T> query(MongoTemplate mongo, List<Object> ids, Class<T> type, String collection,
                                     Consumer<Query> customise) {
        Query q = Query.query(Criteria.where("_id").in(ids));
        customise.accept(q);
        return collection == null ? mongo.find(q, type) : mongo.find(q, type, collection);
    }
}
