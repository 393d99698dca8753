package dev.caravan.rules;

import static dev.caravan.rules.RulesTestSupport.awaitIdle;
import static dev.caravan.rules.RulesTestSupport.awaitJob;
import static dev.caravan.rules.RulesTestSupport.customerIds;
import static dev.caravan.rules.RulesTestSupport.marketer;
import static dev.caravan.rules.RulesTestSupport.order;
import static dev.caravan.rules.RulesTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.caravan.test.CaravanTest;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** What a MARKETER may change (table cells, parameters) and may not (code), and dry runs against activations. */
@CaravanTest
class RulesMarketerTest {

    static final String TABLE = "caravan/membership.drl.csv";

    @Autowired TestApi api;
    @Autowired TestStore store;
    @Autowired RulesService rules;
    @Autowired PopulationService population;
    @Autowired IncrementalEvaluator worker;
    @Autowired ConfigurableApplicationContext context;

    @BeforeEach
    void reset() {
        RulesTestSupport.reset(store, rules, population, worker, context, api);
    }

    @Test
    void theTableIsShownTyped() {
        JsonNode table = marketer(api).get().uri("/api/v1/rules/tables/" + TABLE).retrieve().body(JsonNode.class);
        assertThat(table.path("name").asString()).isEqualTo("Membership");
        assertThat(table.path("columns").get(0).path("type").asString()).isEqualTo("NUMBER");
        assertThat(table.path("columns").get(2).path("type").asString()).isEqualTo("ID");
        assertThat(table.path("rows").get(0).toString()).isEqualTo("[\"5000\",\"10\",\"diamond\"]");
    }

    @Test
    void injectionAttemptsByAMarketerAreRefusedAndNothingChanges() {
        byte[] before = rules.current().files().get(TABLE);
        ResponseEntity<JsonNode> quoteBreak = putTable(List.of(
                List.of("5000", "10", "diamond\", kcontext); System.exit(1); //"),
                List.of("1000", "4", "gold"), List.of("200", "1", "silver")));
        assertThat(quoteBreak.getStatusCode().value()).isEqualTo(400);
        assertThat(quoteBreak.getBody().path("errors").get(0).path("field").asString()).isEqualTo("rows[0][2]");

        ResponseEntity<JsonNode> expression = putTable(List.of(
                List.of("5000 || true", "10", "diamond"), List.of("1000", "4", "gold"), List.of("200", "1", "silver")));
        assertThat(expression.getStatusCode().value()).isEqualTo(400);
        assertThat(expression.getBody().path("errors").get(0).path("message").asString()).contains("not a number");

        ResponseEntity<JsonNode> param = marketer(api).put().uri("/api/v1/rules/parameters")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("values", Map.of("dormant-days", "90); System.exit(1); (")))
                .retrieve().toEntity(JsonNode.class);
        assertThat(param.getStatusCode().value()).isEqualTo(400);
        ResponseEntity<JsonNode> outOfRange = marketer(api).put().uri("/api/v1/rules/parameters")
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("values", Map.of("core-share", 5)))
                .retrieve().toEntity(JsonNode.class);
        assertThat(outOfRange.getStatusCode().value()).isEqualTo(400);

        ResponseEntity<JsonNode> raw = marketer(api).put().uri("/api/v1/rules/files/caravan/evil.drl")
                .contentType(MediaType.TEXT_PLAIN).body("rule \"x\" when then System.exit(1); end")
                .retrieve().toEntity(JsonNode.class);
        assertThat(raw.getStatusCode().value()).isEqualTo(403);
        ResponseEntity<JsonNode> validate = marketer(api).post().uri("/api/v1/rules/validate")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("files", List.of(Map.of("name", "caravan/evil.drl", "content", "rule x"))))
                .retrieve().toEntity(JsonNode.class);
        assertThat(validate.getStatusCode().value()).isEqualTo(403);

        assertThat(rules.activeVersion()).isEqualTo(1);
        assertThat(rules.current().files().get(TABLE)).isEqualTo(before);
    }

    @Test
    void aDryRunCountsWhatTheActivationThenChangesAndLevelsFollowTheMarketersTable() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int orders = 1 + i % 7;
            for (int k = 0; k < orders; k++) {
                events.add(order("b" + i + "-" + k, "buyer" + i, "amazon", now.minus(10 + 40L * k + i, ChronoUnit.DAYS),
                        20 + 15.0 * i, k % 2 == 1));
            }
        }
        JsonNode sent = send(api, events);
        // buyer34: 7 orders of 530 = 3710 in 12 months -> gold, diamond once diamond needs 2000 and 6 orders
        int index = 0;
        while (!events.get(index).get("eventId").equals("b34-0")) index++;
        String spender = customerIds(sent).get(index);
        awaitIdle(worker);
        // settle everyone against a fresh population first, so the comparison below is only about the table
        awaitJob(api, api.admin().post().uri("/api/v1/rules/evaluations").retrieve().body(JsonNode.class)
                .path("id").asString());
        assertThat(level(spender)).isEqualTo("gold");

        List<List<String>> rows = List.of(List.of("2000", "6", "diamond"), List.of("400", "2", "gold"),
                List.of("100", "1", "silver"));
        JsonNode dry = marketer(api).post().uri("/api/v1/rules/dry-run").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("tables", Map.of(TABLE, rows))).retrieve().body(JsonNode.class);
        assertThat(dry.path("evaluated").asLong()).as(dry.toString()).isEqualTo(40);
        long dryLevelChanges = sum(dry.path("level"));
        assertThat(dryLevelChanges).isGreaterThan(0);
        assertThat(dry.path("level").path("gold -> diamond").asLong()).isGreaterThan(0);
        assertThat(dry.path("samples").path("level: gold -> diamond").toString()).contains(spender);
        assertThat(rules.activeVersion()).isEqualTo(1); // nothing activated or written
        assertThat(level(spender)).isEqualTo("gold");

        ResponseEntity<JsonNode> put = putTable(rows);
        assertThat(put.getStatusCode().value()).isEqualTo(200);
        assertThat(put.getBody().path("version").asLong()).isEqualTo(2);
        JsonNode job = awaitJob(api, put.getBody().path("evaluationJobId").asString());
        assertThat(job.path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.path("counters").path("levelChanged").asLong()).isEqualTo(dryLevelChanges);
        assertThat(job.path("counters").path("tierChanged").asLong()).isEqualTo(sum(dry.path("tier")));
        assertThat(job.path("counters").path("tagsAdded").asLong()).isEqualTo(sum(dry.path("tagsAdded")));
        assertThat(job.path("counters").path("changed").asLong()).isEqualTo(dry.path("changed").asLong());
        assertThat(level(spender)).isEqualTo("diamond");
        assertThat(RulesTestSupport.events(MembershipChanged.class)).anySatisfy(e -> {
            assertThat(e.customerId()).isEqualTo(spender);
            assertThat(e.from()).isEqualTo("gold");
            assertThat(e.to()).isEqualTo("diamond");
            assertThat(e.rule()).isEqualTo("Membership_11");
            assertThat(e.version()).isEqualTo(2);
        });
        JsonNode explain = api.admin().get().uri("/api/v1/customers/" + spender + "/explain").retrieve().body(JsonNode.class);
        assertThat(explain.path("history").get(0).path("field").asString()).isEqualTo("level");
        assertThat(explain.path("history").get(0).path("to").asString()).isEqualTo("diamond");

        JsonNode diff = api.admin().get().uri("/api/v1/rules/versions/2").retrieve().body(JsonNode.class);
        assertThat(diff.path("changes").get(0).path("diff").asString()).contains("+2000,6,diamond");
    }

    private ResponseEntity<JsonNode> putTable(List<List<String>> rows) {
        return marketer(api).put().uri("/api/v1/rules/tables/" + TABLE).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("rows", rows, "comment", "new thresholds")).retrieve().toEntity(JsonNode.class);
    }

    private String level(String customerId) {
        return api.admin().get().uri("/api/v1/customers/" + customerId).retrieve().body(JsonNode.class)
                .path("customer").path("level").asString();
    }

    private static long sum(JsonNode counts) {
        long n = 0;
        for (JsonNode v : counts) n += v.asLong();
        return n;
    }
}
