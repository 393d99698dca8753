package dev.caravan.common.store;

import static dev.caravan.test.Events.customer;
import static dev.caravan.test.Events.map;
import static dev.caravan.test.Events.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.caravan.customer.Customer;
import dev.caravan.customer.CustomerMetrics;
import dev.caravan.customer.CustomerMetricsSource;
import dev.caravan.customer.IdentityKey;
import dev.caravan.customer.IdentityKind;
import dev.caravan.order.OrderInput;
import dev.caravan.order.OrderLine;
import dev.caravan.order.OrderWriter;
import dev.caravan.order.PurchaseHistories;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * What the storage layer relies on from MongoDB, run against the embedded store in every build and against a real
 * MongoDB (Testcontainers) wherever Docker is available: unique keys, idempotent order writes with Decimal128
 * increments, aggregations that rebuild the same metrics, chunked primary-key reads.
 */
abstract class StorageContract {

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;
    @Autowired
    MongoTemplate mongo;
    @Autowired
    OrderWriter orders;
    @Autowired
    CustomerMetricsSource metricsSource;
    @Autowired
    PurchaseHistories histories;

    @BeforeEach
    void clear() {
        store.clear();
    }

    @Test
    void identityKeysAreUnique() {
        mongo.insert(new IdentityKey("email:a@example.com", "c1", IdentityKind.EMAIL, Instant.now()));
        assertThatThrownBy(() -> mongo.insert(new IdentityKey("email:a@example.com", "c2", IdentityKind.EMAIL, Instant.now())))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void incrementalMetricsEqualTheRecomputedOnes() {
        JsonNode r = api.admin().post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON)
                .body(List.of(order("s-1", "2026-01-01T10:00:00Z", customer("email", "m@example.com"), "1", "10.10", "EUR"),
                        order("s-2", "2026-03-01T10:00:00Z", customer("email", "m@example.com"), "2", "20.20", "USD"),
                        order("s-3", "2026-02-01T10:00:00Z", customer("email", "m@example.com"), "3", "5", "GBP"),
                        map("eventId", "s-4", "type", "order_cancelled", "occurredAt", "2026-03-02T10:00:00Z",
                                "customer", customer("email", "m@example.com"), "properties", map("orderId", "2"))))
                .retrieve().body(JsonNode.class);
        String id = r.get("results").get(0).get("customerId").asString();
        CustomerMetrics incremental = mongo.findById(id, Customer.class).getMetrics();
        CustomerMetrics recomputed = metricsSource.compute(List.of(id)).get(id);
        assertThat(incremental.orderCount()).isEqualTo(2).isEqualTo(recomputed.orderCount());
        assertThat(incremental.totalSpend()).isEqualByComparingTo(recomputed.totalSpend());
        assertThat(incremental.firstOrderAt()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z")).isEqualTo(recomputed.firstOrderAt());
        assertThat(histories.of(id).counted()).hasSize(2);
        assertThat(histories.of(id).purchases()).extracting(p -> p.orderKey())
                .containsExactly("api//1", "api//3", "api//2");
    }

    @Test
    void rewritingAnUnchangedOrderWritesNothing() {
        OrderInput in = new OrderInput("shop", null, "9", null, null,
                List.of(new OrderLine("A", null, "toys", 2, new BigDecimal("1.25"), null)), "USD", null, "placed",
                Instant.parse("2026-05-05T05:05:05Z"), null, null, null, null, null, "test", false);
        assertThat(orders.writeOrders(List.of(in), true).written()).isEqualTo(1);
        assertThat(orders.writeOrders(List.of(in), true).written()).isZero();
        assertThat(mongo.getCollection("orders").find().first().get("total").toString()).isEqualTo("2.50");
    }

    @Test
    void manyIdsAreReadInChunks() {
        List<IdentityKey> keys = new ArrayList<>();
        IntStream.range(0, 300).forEach(i -> keys.add(new IdentityKey("phone:+1" + i, "c" + i, IdentityKind.PHONE, Instant.now())));
        mongo.insertAll(keys);
        List<String> ids = keys.stream().map(IdentityKey::key).toList();
        assertThat(ByIds.find(mongo, ids, IdentityKey.class)).hasSize(300);
        Map<String, ?> some = Map.of("phone:+17", 1, "phone:+1299", 1, "phone:nope", 1);
        assertThat(ByIds.find(mongo, some.keySet(), IdentityKey.class)).extracting(IdentityKey::key)
                .containsExactlyInAnyOrder("phone:+17", "phone:+1299");
    }

    @Test
    void anIdListQueryReturnsExactlyTheListedDocumentsWithSortLimitAndProjection() {
        // the embedded store answers {_id: {$in}} from its index without re-matching: same answers as MongoDB
        IntStream.range(0, 10).forEach(i -> mongo.getCollection("contract_ids").insertOne(
                new org.bson.Document("_id", "k" + i).append("n", i).append("other", "x")));
        var coll = mongo.getCollection("contract_ids");
        var in = new org.bson.Document("_id", new org.bson.Document("$in", List.of("k7", "k2", "missing", "k5", "k2")));
        List<Object> found = new ArrayList<>();
        coll.find(in).sort(new org.bson.Document("n", -1)).limit(2).projection(new org.bson.Document("n", 1))
                .forEach(d -> found.add(d));
        assertThat(found).containsExactly(new org.bson.Document("_id", "k7").append("n", 7),
                new org.bson.Document("_id", "k5").append("n", 5));
        // a filter with more than the id list is still matched in full
        var narrowed = new org.bson.Document(in).append("n", new org.bson.Document("$gt", 4));
        List<Object> ns = new ArrayList<>();
        coll.find(narrowed).forEach(d -> ns.add(d.get("n")));
        assertThat(ns).containsExactlyInAnyOrder(7, 5);
        assertThat(coll.countDocuments(in)).isEqualTo(3);
        assertThat(coll.deleteMany(in).getDeletedCount()).isEqualTo(3);
        assertThat(coll.countDocuments()).isEqualTo(7);
    }

    @Test
    void aSortedQueryWithSkipAndLimitReturnsTheSameWindowAsAFullSort() {
        // the embedded store keeps only skip + limit documents in a heap instead of sorting every match
        var coll = mongo.getCollection("contract_sorted");
        List<org.bson.Document> docs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            var d = new org.bson.Document("_id", String.format("s%03d", i)).append("due", i % 7 == 0 ? null : (i * 37) % 101)
                    .append("group", new org.bson.Document("rank", i % 3)).append("kind", i % 2 == 0 ? "even" : "odd");
            if (i % 11 == 0) d.remove("due");
            docs.add(d);
        }
        coll.insertMany(docs);
        var filter = new org.bson.Document("kind", "even");
        var sort = new org.bson.Document("group.rank", -1).append("due", 1).append("_id", 1);
        List<Object> all = new ArrayList<>();
        coll.find(filter).sort(sort).forEach(d -> all.add(d.get("_id")));
        assertThat(all).hasSize(150);
        List<Object> window = new ArrayList<>();
        coll.find(filter).sort(sort).skip(20).limit(15).projection(new org.bson.Document("_id", 1))
                .forEach(d -> window.add(d.get("_id")));
        assertThat(window).isEqualTo(all.subList(20, 35));
        // the full order: rank descending, then missing and null due first, then due ascending, then _id
        List<org.bson.Document> expected = docs.stream().filter(d -> d.get("kind").equals("even"))
                .sorted(java.util.Comparator.comparing((org.bson.Document d) -> -((org.bson.Document) d.get("group")).getInteger("rank"))
                        .thenComparing(d -> d.getInteger("due"), java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()))
                        .thenComparing(d -> d.getString("_id"))).toList();
        assertThat(all).isEqualTo(expected.stream().map(d -> d.get("_id")).toList());
    }
}
