package dev.caravan.ingest.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.caravan.test.CaravanTest;
import dev.caravan.test.Imports;
import dev.caravan.test.SharedData;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The real UCI Online Retail file (541,909 rows) through the HTTP import. The expected figures are the data set's
 * published facts, recomputed independently in ../shared/datasets/README.md.
 */
@CaravanTest
class OnlineRetailImportTest {

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;

    @Test
    void importsEveryRowWithExactCounts() throws IOException {
        Path file = SharedData.require("datasets/online_retail/online_retail.csv.gz");
        store.clear();
        Imports imports = new Imports(api, api.admin());
        JsonNode job = imports.run("orders", "uci-online-retail", Files.readAllBytes(file), true, Duration.ofMinutes(5));

        assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
        JsonNode c = job.get("counters");
        assertThat(c.get("rowsRead").asLong()).isEqualTo(541_909);
        assertThat(c.get("rowsImported").asLong()).isEqualTo(541_909);
        assertThat(c.get("rowsRejected").asLong()).isZero();
        assertThat(c.get("invoices").asLong()).isEqualTo(25_900);
        assertThat(c.get("cancellationInvoices").asLong()).isEqualTo(3_836);
        assertThat(c.get("customers").asLong()).isEqualTo(4_372);
        assertThat(c.get("guestRows").asLong()).isEqualTo(135_080);

        var mongo = store.mongo();
        long orders = mongo.getCollection("orders").countDocuments();
        long returns = mongo.getCollection("returns").countDocuments();
        assertThat(orders + returns).isEqualTo(25_900);
        assertThat(returns).isEqualTo(3_836);
        assertThat(mongo.getCollection("customers").countDocuments()).isEqualTo(4_372);
        // 3,710 invoices have no CustomerID: guest orders and guest cancellations.
        assertThat(mongo.getCollection("orders").countDocuments(new Document("guest", true))
                + mongo.getCollection("returns").countDocuments(new Document("customerId", null))).isEqualTo(3_710);
        // Every line kept: order lines minus cancelled lines give the data set's sum of Quantity x UnitPrice.
        BigDecimal sold = sum("orders", "$total");
        BigDecimal cancelled = sum("returns", "$amount");
        // exact decimal arithmetic: 9,747,747.934 (the data set README rounds it to 9,747,747.93)
        assertThat(sold.subtract(cancelled)).isEqualByComparingTo("9747747.934");
        // The invoice split across non-adjacent rows is one order with all its lines.
        Document split = mongo.getCollection("orders").find(new Document("_id", "uci-online-retail//542806")).first();
        assertThat(split.getList("lines", Document.class).stream().map(l -> l.getLong("lineNo")).distinct().count())
                .isEqualTo(split.getList("lines", Document.class).size());

        JsonNode buyer = api.admin().get().uri("/api/v1/customers?identity=uci-online-retail:17850")
                .retrieve().body(JsonNode.class).get("content").get(0);
        assertThat(buyer.get("country").asString()).isEqualTo("GB");
        assertThat(buyer.get("metrics").get("orderCount").asLong()).isPositive();
    }

    private BigDecimal sum(String collection, String field) {
        Document d = store.mongo().getCollection(collection).aggregate(List.of(
                new Document("$group", new Document("_id", null).append("s", new Document("$sum", field))))).first();
        return ((Decimal128) d.get("s")).bigDecimalValue();
    }
}
