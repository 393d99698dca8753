package dev.caravan.privacy;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.common.store.ByIds;
import dev.caravan.customer.ErasedIdentities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Erasure tombstones: keyed hashes of the identity keys of erased people, looked up by {@code _id} (one batched
 * primary-key read per ingest batch). Ingestion refuses records carrying such a key unless the person came back
 * with a new order and consent, which releases the tombstones.
 */
@Component
class Tombstones implements ErasedIdentities {

    private static final Logger log = LoggerFactory.getLogger(Tombstones.class);

    private final MongoTemplate mongo;
    private final TombstoneHasher hasher;

    Tombstones(MongoTemplate mongo, TombstoneHasher hasher) {
        this.mongo = mongo;
        this.hasher = hasher;
    }

    /** Writes (or refreshes) the tombstones of these identity keys; returns how many. Idempotent. */
    long bury(Collection<String> identityKeys, Instant at, String reason) {
        long n = 0;
        for (String key : identityKeys) {
            int colon = key.indexOf(':');
            String kind = colon > 0 ? key.substring(0, colon) : "key";
            mongo.upsert(Query.query(Criteria.where("_id").is(hasher.hash(key))),
                    new Update().set("kind", kind).set("erasedAt", at).set("reason", reason), Tombstone.class);
            n++;
        }
        return n;
    }

    @Override
    public Map<String, Instant> erased(Collection<String> keys) {
        if (keys.isEmpty()) return Map.of();
        // most stores have no erasures at all: one cheap count instead of hashing and looking up every key
        if (mongo.getCollection(mongo.getCollectionName(Tombstone.class)).estimatedDocumentCount() == 0) return Map.of();
        Map<String, String> byHash = new HashMap<>();
        for (String k : keys) byHash.put(hasher.hash(k), k);
        Map<String, Instant> out = new LinkedHashMap<>();
        for (Tombstone t : ByIds.find(mongo, byHash.keySet(), Tombstone.class)) {
            out.put(byHash.get(t.hash()), t.erasedAt());
        }
        return out;
    }

    @Override
    public void release(Collection<String> identityKeys, String reason) {
        List<String> hashes = identityKeys.stream().map(hasher::hash).toList();
        long n = mongo.remove(Query.query(Criteria.where("_id").in(hashes)), Tombstone.class).getDeletedCount();
        log.info("Released {} erasure tombstone(s): {}", n, reason);
    }

    long count() {
        return mongo.count(new Query(), Tombstone.class);
    }
}
