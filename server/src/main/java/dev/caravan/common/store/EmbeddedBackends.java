package dev.caravan.common.store;

import java.util.List;
import java.util.function.BiPredicate;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVStore;

/**
 * The embedded store's two backends, answering {@code {_id: {$in: [...]}}} straight from the unique {@code _id}
 * index. The stock backends look the ids up in the index and then re-check every document found against the whole
 * list, normalising both sides of every comparison through a stream: a read of n documents by id cost n² of those
 * comparisons, the largest single cost of every batch read by primary key ({@link ByIds}). A document found by the
 * index under one of the listed ids matches by definition, so the re-check is skipped for exactly that query shape;
 * every other query goes through the stock matcher.
 * <p>
 * Nor do they keep a running data size: the stock collections encode every inserted document, and both versions of
 * every updated one, to BSON only to count its bytes for {@code collStats}, which nothing here reads (5 % of the CPU
 * of an import).
 * <p>
 * Queries with a sort read each document's sort values once and keep only what the limit asks for
 * ({@link SortedSelection}).
 */
final class EmbeddedBackends {

    private static final Document MATCH_ALL = new Document();

    private EmbeddedBackends() {
    }

    static MemoryBackend memory() {
        return new MemoryBackend() {
            @Override
            public MemoryDatabase openOrCreateDatabase(String name) {
                return new MemoryDatabase(name, getCursorRegistry()) {
                    @Override
                    protected MemoryCollection openOrCreateCollection(String collection, CollectionOptions options) {
                        return new IdInMemoryCollection(this, collection, options, cursorRegistry);
                    }
                };
            }
        };
    }

    static H2Backend h2(String file) {
        return new H2Backend(file) {
            @Override
            protected MongoDatabase openOrCreateDatabase(String name) {
                OPENING.set(getMvStore());
                try {
                    return new IdInH2Database(name, getMvStore(), getCursorRegistry());
                } finally {
                    OPENING.remove();
                }
            }
        };
    }

    /** The store of an H2 database under construction: its constructor already opens the stored collections. */
    private static final ThreadLocal<MVStore> OPENING = new ThreadLocal<>();

    /** Whether the query is exactly {@code {_id: {$in: [...]}}}. */
    static boolean isIdIn(Document query) {
        if (query.size() != 1) return false;
        Object id = query.get("_id");
        return id instanceof Document d && d.size() == 1 && d.containsKey("$in");
    }

    /** The stock stream matcher of a collection (filter, sort, skip, limit, projection). */
    @FunctionalInterface
    private interface StreamMatcher {
        QueryResult match(Stream<Document> documents, Document query, Document orderBy, int skip, int limit,
                          int batchSize, Document fieldSelector);
    }

    /** Selects sorted queries' documents with {@link SortedSelection}, then lets the stock matcher project them. */
    private static QueryResult sorted(Stream<Document> documents, Document query, Document orderBy, int skip,
                                      int limit, int batchSize, Document fieldSelector,
                                      BiPredicate<Document, Document> matches, StreamMatcher stock) {
        if (!SortedSelection.handles(orderBy)) {
            return stock.match(documents, query, orderBy, skip, limit, batchSize, fieldSelector);
        }
        List<Document> selected = SortedSelection.select(documents.filter(d -> matches.test(d, query)), orderBy,
                skip, limit);
        return stock.match(selected.stream(), MATCH_ALL, null, 0, 0, batchSize, fieldSelector);
    }

    private static final class IdInMemoryCollection extends MemoryCollection {

        IdInMemoryCollection(MongoDatabase database, String name, CollectionOptions options, CursorRegistry cursors) {
            super(database, name, options, cursors);
        }

        @Override
        protected boolean tracksDataSize() {
            return false;
        }

        @Override
        protected QueryResult matchDocuments(Document query, Iterable<Integer> positions, Document orderBy,
                                             int skip, int limit, int batchSize, Document fieldSelector) {
            return super.matchDocuments(isIdIn(query) ? MATCH_ALL : query, positions, orderBy, skip, limit, batchSize,
                    fieldSelector);
        }

        @Override
        protected QueryResult matchDocumentsFromStream(Stream<Document> documents, Document query, Document orderBy,
                                                       int skip, int limit, int batchSize, Document fieldSelector) {
            return sorted(documents, query, orderBy, skip, limit, batchSize, fieldSelector, this::documentMatchesQuery,
                    super::matchDocumentsFromStream);
        }
    }

    private static final class IdInH2Database extends H2Database {

        private final MVStore store;

        IdInH2Database(String name, MVStore store, CursorRegistry cursors) {
            super(name, store, cursors);
            this.store = store;
        }

        // the stock H2Database's map names, so files written before keep their collections
        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collection, CollectionOptions options) {
            MVStore mv = store != null ? store : OPENING.get();
            String fullName = getFullCollectionNamespace(collection);
            return new H2Collection(this, collection, options, mv.openMap("databases." + fullName),
                    mv.openMap("meta." + fullName), cursorRegistry) {
                @Override
                protected boolean tracksDataSize() {
                    return false;
                }

                @Override
                protected QueryResult matchDocuments(Document query, Iterable<Object> positions, Document orderBy,
                                                     int skip, int limit, int batchSize, Document fieldSelector) {
                    return super.matchDocuments(isIdIn(query) ? MATCH_ALL : query, positions, orderBy, skip, limit,
                            batchSize, fieldSelector);
                }

                @Override
                protected QueryResult matchDocumentsFromStream(Stream<Document> documents, Document query,
                                                               Document orderBy, int skip, int limit, int batchSize,
                                                               Document fieldSelector) {
                    return sorted(documents, query, orderBy, skip, limit, batchSize, fieldSelector,
                            this::documentMatchesQuery, super::matchDocumentsFromStream);
                }
            };
        }
    }
}
