package dev.caravan.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Searches every collection of the raw store (driver documents, not mapped objects) for strings: every string value
 * and every field name, recursively through sub-documents and arrays. Binary values (ciphertext of encrypted fields)
 * are not decoded: a plaintext needle cannot match them, which is the point.
 */
final class RawStoreScan {

    private RawStoreScan() {
    }

    /** Hits as {@code collection/_id: path = value} for each needle found (case-insensitive). */
    static List<String> find(MongoTemplate mongo, String... needles) {
        List<String> hits = new ArrayList<>();
        for (String collection : mongo.getCollectionNames()) {
            if (collection.startsWith("system.")) continue;
            for (Document d : mongo.getCollection(collection).find()) {
                walk(collection + "/" + d.get("_id"), "", d, needles, hits);
            }
        }
        return hits;
    }

    /** How many documents the scan read (to show it did read the store). */
    static long documents(MongoTemplate mongo) {
        long n = 0;
        for (String collection : mongo.getCollectionNames()) {
            n += mongo.getCollection(collection).countDocuments();
        }
        return n;
    }

    private static void walk(String doc, String path, Object value, String[] needles, List<String> hits) {
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                check(doc, path + "/" + key + " (field name)", key, needles, hits);
                walk(doc, path + "/" + key, e.getValue(), needles, hits);
            }
        } else if (value instanceof Iterable<?> list) {
            int i = 0;
            for (Object o : list) walk(doc, path + "[" + i++ + "]", o, needles, hits);
        } else if (value instanceof String s) {
            check(doc, path, s, needles, hits);
        }
    }

    private static void check(String doc, String path, String s, String[] needles, List<String> hits) {
        String lower = s.toLowerCase(Locale.ROOT);
        for (String n : needles) {
            if (lower.contains(n.toLowerCase(Locale.ROOT))) hits.add(doc + ": " + path + " = " + s);
        }
    }
}
