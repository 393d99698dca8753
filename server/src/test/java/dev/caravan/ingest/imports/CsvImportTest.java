package dev.caravan.ingest.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.caravan.test.CaravanTest;
import dev.caravan.test.Imports;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

@CaravanTest
class CsvImportTest {

    static final String ORDERS = """
            platform,store_id,order_id,buyer_id,email,phone,name,country,placed_at,currency,total,status,sku,quantity,unit_price,gift_wrap
            shopify,eu,1001,7001,ann@example.com,,Ann,DE,2026-01-10T10:00:00+01:00,EUR,59.80,delivered,BAG-1,2,29.90,no
            shopify,eu,1002,7002,ben@example.com,,Ben,FR,2026-01-11 10:00,EUR,10.00,,CUP-1,1,10.00,no
            shopify,eu,1003,7003,cat@example.com,,Cat,IT,2026-01-12T10:00:00+01:00,EUR,30.00,,CUP-1,three,10.00,no
            shopify,eu,1004,7004,dan@example.com,,Dan,ES,2026-01-13T10:00:00+01:00,EUR,15.00
            ebay,,E-1,dan_e,dan@example.com,,Dan,ES,2026-01-14T10:00:00+01:00,USD,25.00,shipped,PEN-1,1,20.00,yes
            ebay,,E-1,dan_e,dan@example.com,,Dan,ES,2026-01-14T10:00:00+01:00,USD,25.00,shipped,INK-1,1,5.00,yes
            """;

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;

    Imports imports;

    @BeforeEach
    void setUp() {
        store.clear();
        imports = new Imports(api, api.admin());
    }

    @Test
    void malformedRowsAreReportedByLineAndGoodRowsKept() {
        JsonNode job = imports.run("orders", "caravan", ORDERS);
        assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("rowsRead").asLong()).isEqualTo(6);
        assertThat(job.get("rowsImported").asLong()).isEqualTo(3);
        assertThat(job.get("rowsRejected").asLong()).isEqualTo(3);
        assertThat(job.get("percent").asDouble()).isEqualTo(100.0);
        assertThat(job.get("warnings").get(0).asString()).contains("gift_wrap");

        String errors = imports.errors(job.get("jobId").asString());
        assertThat(errors.lines()).containsExactly(
                "line,reason",
                "3,\"placed_at '2026-01-11 10:00' is not an ISO-8601 date-time with offset, e.g. 2026-11-23T10:15:30Z\"",
                "4,quantity 'three' is not a whole number",
                "5,\"expected 16 columns, found 11\"");
        // The two-line eBay order is one order with both lines.
        Document ebay = store.mongo().getCollection("orders").find(new Document("_id", "ebay//E-1")).first();
        assertThat(ebay.getList("lines", Document.class)).hasSize(2);
        assertThat(store.mongo().getCollection("orders").countDocuments()).isEqualTo(2);
    }

    @Test
    void importingTheSameFileTwiceChangesNothing() {
        imports.run("orders", "caravan", ORDERS);
        Document before = snapshot();
        JsonNode again = imports.run("orders", "caravan", ORDERS);
        assertThat(again.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void gzipBodiesAreAccepted() {
        byte[] gz = Imports.gzip(ORDERS.getBytes(StandardCharsets.UTF_8));
        JsonNode withHeader = imports.run("orders", "caravan", gz, true, Duration.ofSeconds(30));
        assertThat(withHeader.get("rowsImported").asLong()).isEqualTo(3);
        JsonNode sniffed = imports.run("orders", "caravan", gz, false, Duration.ofSeconds(30));
        assertThat(sniffed.get("rowsImported").asLong()).isEqualTo(3);
    }

    @Test
    void customersFileUpdatesProfilesAndConsents() {
        JsonNode job = imports.run("customers", "caravan", """
                platform,buyer_id,email,phone,name,country,language,timezone,birthday,consent_email,consent_whatsapp
                shopify,1,fay@example.com,+33 6 12 34 56 78,Fay,France,fr,Europe/Paris,1990-02-03,yes,no
                shopify,2,gus@example.com,,Gus,Narnia,,,,,
                shopify,3,hal@example.com,,Hal,,,,,maybe,
                """);
        assertThat(job.get("rowsImported").asLong()).isEqualTo(1);
        assertThat(imports.errors(job.get("jobId").asString())).contains("3,country: 'Narnia' is not a country")
                .contains("4,consent_email 'maybe' is not true/false");
        JsonNode fay = api.admin().get().uri("/api/v1/customers?identity=shopify:{s}:1", "").retrieve().body(JsonNode.class);
        // shopify ids are unique per store: the identity includes the (empty) store id
        JsonNode c = fay.get("content").get(0);
        assertThat(c.get("phones").get(0).asString()).isEqualTo("+33612345678");
        assertThat(c.get("consents").get("email").get("granted").asBoolean()).isTrue();
        assertThat(c.get("consents").get("whatsapp").get("granted").asBoolean()).isFalse();
        assertThat(c.get("birthday").asString()).isEqualTo("1990-02-03");
    }

    @Test
    void badRequestsAreRejectedUpFront() {
        ResponseEntity<JsonNode> r = api.admin().post().uri("/api/v1/imports?kind=planets")
                .contentType(org.springframework.http.MediaType.parseMediaType("text/csv")).body("a,b\n1,2\n")
                .retrieve().toEntity(JsonNode.class);
        assertThat(r.getStatusCode().value()).isEqualTo(400);
        assertThat(r.getBody().get("detail").asString()).contains("kind must be one of");
        JsonNode missing = imports.run("orders", "caravan", "platform,order_id\nshopify,1\n");
        assertThat(missing.get("state").asString()).isEqualTo("FAILED");
        assertThat(missing.get("message").asString()).contains("missing [buyer_id, placed_at, currency, total]");
    }

    private Document snapshot() {
        Document d = new Document();
        for (String c : new String[]{"customers", "orders", "identity_keys", "purchase_histories"}) {
            d.put(c, store.mongo().getCollection(c).find().sort(new Document("_id", 1)).into(new java.util.ArrayList<>()));
        }
        return d;
    }
}
