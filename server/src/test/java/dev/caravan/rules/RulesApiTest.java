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

@CaravanTest
class RulesApiTest {

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
    void packagedRulesAreTheFirstActiveVersion() {
        JsonNode active = api.admin().get().uri("/api/v1/rules").retrieve().body(JsonNode.class);
        assertThat(active.path("version").asLong()).isEqualTo(1);
        List<String> names = new ArrayList<>();
        active.path("files").forEach(f -> names.add(f.path("name").asString()));
        assertThat(names).contains("caravan/tiers.drl", "caravan/membership.drl.csv", "parameters.yaml",
                "tests/membership.yaml");
        String drl = api.admin().get().uri("/api/v1/rules/files/caravan/tiers.drl").retrieve().body(String.class);
        assertThat(drl).contains("rule \"core tier\"");
        assertThat(api.as("nobody", "x").get().uri("/api/v1/rules").retrieve().toBodilessEntity().getStatusCode().value())
                .isEqualTo(401);
        String openApi = api.admin().get().uri("/v3/api-docs").retrieve().body(String.class);
        assertThat(openApi).contains("/api/v1/rules/dry-run", "/api/v1/customers/{id}/explain", "/api/v1/rules/files/");
    }

    @Test
    void brokenDrlIsRefusedWithFileAndLineAndTheActiveVersionKeepsServing() {
        String broken = """
                package caravan

                import dev.caravan.rules.CustomerFact

                rule "typo"
                when
                    $c : CustomerFact( totalSpendd > 10 )
                then
                    $c.tag("typo", kcontext);
                end
                """;
        ResponseEntity<JsonNode> r = api.admin().put().uri("/api/v1/rules/files/caravan/broken.drl?comment=oops")
                .contentType(MediaType.TEXT_PLAIN).body(broken).retrieve().toEntity(JsonNode.class);
        assertThat(r.getStatusCode().value()).isEqualTo(422);
        JsonNode error = r.getBody().path("errors").get(0);
        assertThat(error.path("file").asString()).isEqualTo("caravan/broken.drl");
        assertThat(error.path("line").asInt()).isEqualTo(7);
        assertThat(error.path("message").asString()).contains("totalSpendd");
        assertThat(r.getBody().path("activeVersion").asLong()).isEqualTo(1);
        assertThat(api.admin().get().uri("/api/v1/rules").retrieve().body(JsonNode.class).path("version").asLong())
                .isEqualTo(1);
        assertThat(api.admin().get().uri("/api/v1/rules/versions").retrieve().body(JsonNode.class).size()).isEqualTo(1);

        // validate reports the same without activating anything
        ResponseEntity<JsonNode> v = api.admin().post().uri("/api/v1/rules/validate").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("files", List.of(Map.of("name", "caravan/broken.drl", "content", broken))))
                .retrieve().toEntity(JsonNode.class);
        assertThat(v.getStatusCode().value()).isEqualTo(422);
        assertThat(v.getBody().path("errors").get(0).path("line").asInt()).isEqualTo(7);
    }

    @Test
    void failingScenarioBlocksActivation() {
        String scenario = """
                scenarios:
                  - name: a small spender is wrongly expected to be diamond
                    given: {orderCount: 1, spend12m: 50, orders12m: 1, daysSinceFirstOrder: 10, daysSinceLastOrder: 10}
                    expect: {level: diamond}
                """;
        ResponseEntity<JsonNode> r = api.admin().put().uri("/api/v1/rules/files/tests/wrong.yaml")
                .contentType(MediaType.TEXT_PLAIN).body(scenario).retrieve().toEntity(JsonNode.class);
        assertThat(r.getStatusCode().value()).isEqualTo(422);
        JsonNode failed = r.getBody().path("scenarios").get(0);
        assertThat(failed.path("file").asString()).isEqualTo("tests/wrong.yaml");
        assertThat(failed.path("line").asInt()).isEqualTo(2);
        assertThat(failed.path("failures").get(0).asString()).contains("expected level diamond");
        assertThat(rules.activeVersion()).isEqualTo(1);
    }

    @Test
    void loopingRuleIsStoppedByTheFiringLimitAndReported() {
        String looping = """
                package caravan

                import dev.caravan.rules.CustomerFact

                rule "counts forever"
                when
                    $c : CustomerFact( complaints >= 0 )
                then
                    modify($c) { setComplaints($c.getComplaints() + 1) }
                end
                """;
        long t0 = System.nanoTime();
        ResponseEntity<JsonNode> r = api.admin().post().uri("/api/v1/rules/validate").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("files", List.of(Map.of("name", "caravan/loop.drl", "content", looping))))
                .retrieve().toEntity(JsonNode.class);
        assertThat(r.getStatusCode().value()).isEqualTo(422);
        assertThat(r.getBody().path("scenarios").get(0).path("failures").get(0).asString())
                .contains("looped").contains("counts forever");
        assertThat((System.nanoTime() - t0) / 1_000_000_000.0).isLessThan(20);
    }

    @Test
    void eventsAreEvaluatedInTheBackgroundAndExplained() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        JsonNode r = send(api, List.of(
                order("o-1", "ann", "amazon", now.minus(200, ChronoUnit.DAYS), 150, false),
                order("o-2", "ann", "amazon", now.minus(100, ChronoUnit.DAYS), 100, true),
                order("o-3", "ann", "ebay", now.minus(5, ChronoUnit.DAYS), 120, false)));
        String id = customerIds(r).get(0);
        awaitIdle(worker);
        JsonNode c = api.admin().get().uri("/api/v1/customers/" + id).retrieve().body(JsonNode.class);
        assertThat(c.path("customer").path("level").asString()).isEqualTo("silver");
        assertThat(c.path("customer").path("lifecycle").asString()).isEqualTo("active");
        assertThat(c.path("customer").path("tier").asString()).isNotEmpty();
        assertThat(c.path("rules").path("level").path("file").asString()).isEqualTo("caravan/membership.drl.csv");

        JsonNode explain = api.as(RulesTestSupport.MARKETER, RulesTestSupport.MARKETER_PASSWORD).get()
                .uri("/api/v1/customers/" + id + "/explain").retrieve().body(JsonNode.class);
        assertThat(explain.path("lifecycle").path("rule").asString()).isEqualTo("active customer");
        assertThat(explain.path("lifecycle").path("file").asString()).isEqualTo("caravan/lifecycle.drl");
        List<String> tags = new ArrayList<>();
        explain.path("tags").forEach(t -> tags.add(t.path("value").asString() + "@" + t.path("rule").asString()));
        assertThat(tags).contains("multi-platform@multi-platform");
        assertThat(explain.path("facts").path("orders12m").asLong()).isEqualTo(3);
        assertThat(explain.path("facts").path("couponShare").asDouble()).isBetween(0.33, 0.34);
        assertThat(explain.path("history").size()).isGreaterThanOrEqualTo(3);
        assertThat(explain.path("wouldDecideNow").path("level").path("value").asString()).isEqualTo("silver");

        JsonNode list = api.admin().get().uri("/api/v1/customers?level=silver&tag=multi-platform")
                .retrieve().body(JsonNode.class);
        assertThat(list.path("totalElements").asLong()).isEqualTo(1);

        List<MembershipChanged> levels = RulesTestSupport.events(MembershipChanged.class);
        assertThat(levels).anySatisfy(e -> {
            assertThat(e.customerId()).isEqualTo(id);
            assertThat(e.to()).isEqualTo("silver");
            assertThat(e.file()).isEqualTo("caravan/membership.drl.csv");
            assertThat(e.live()).isTrue();
        });
        assertThat(RulesTestSupport.events(TagAdded.class)).anySatisfy(e -> assertThat(e.tag()).isEqualTo("multi-platform"));

        // a complaint is counted from the activity event (no scan of interactions) and triggers re-evaluation
        send(api, List.of(RulesTestSupport.complaint("x-1", "ann", "amazon", now)));
        awaitIdle(worker);
        JsonNode after = api.admin().get().uri("/api/v1/customers/" + id + "/explain").retrieve().body(JsonNode.class);
        assertThat(after.path("facts").path("complaints").asLong()).isEqualTo(1);
        assertThat(after.path("facts").path("openComplaints").asLong()).isEqualTo(1);
    }

    @Test
    void versionsKeepAuthorCommentAndDiffAndRollbackRestoresAnOldVersion() {
        ResponseEntity<JsonNode> put = marketer(api).put().uri("/api/v1/rules/parameters")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("values", Map.of("dormant-days", 90), "comment", "shorter dormancy"))
                .retrieve().toEntity(JsonNode.class);
        assertThat(put.getStatusCode().value()).isEqualTo(200);
        assertThat(put.getBody().path("version").asLong()).isEqualTo(2);
        if (!put.getBody().path("evaluationJobId").isNull()) awaitJob(api, put.getBody().path("evaluationJobId").asString());

        JsonNode v2 = api.admin().get().uri("/api/v1/rules/versions/2").retrieve().body(JsonNode.class);
        assertThat(v2.path("author").asString()).isEqualTo(RulesTestSupport.MARKETER);
        assertThat(v2.path("comment").asString()).isEqualTo("shorter dormancy");
        assertThat(v2.path("basedOn").asLong()).isEqualTo(1);
        assertThat(v2.path("changes").get(0).path("name").asString()).isEqualTo("parameters.yaml");
        assertThat(v2.path("changes").get(0).path("diff").asString()).contains("-    value: 120").contains("+    value: 90");
        assertThat(api.admin().get().uri("/api/v1/rules/parameters").retrieve().body(JsonNode.class)
                .path("dormant-days").path("value").asDouble()).isEqualTo(90);

        JsonNode rollback = marketer(api).post().uri("/api/v1/rules/versions/1/activate").retrieve().body(JsonNode.class);
        assertThat(rollback.path("version").asLong()).isEqualTo(1);
        assertThat(rules.activeVersion()).isEqualTo(1);
        assertThat(rules.parameters().get("dormant-days").value()).isEqualTo(120);
        JsonNode versions = api.admin().get().uri("/api/v1/rules/versions").retrieve().body(JsonNode.class);
        assertThat(versions.size()).isEqualTo(2);
        assertThat(versions.get(1).path("active").asBoolean()).isTrue();
        if (!rollback.path("evaluationJobId").isNull()) awaitJob(api, rollback.path("evaluationJobId").asString());
    }

    @Test
    void aRestartLoadsTheLastActiveVersionNotThePackagedDefault() {
        api.admin().put().uri("/api/v1/rules/parameters").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("values", Map.of("new-days", 14))).retrieve().toBodilessEntity();
        assertThat(rules.activeVersion()).isEqualTo(2);
        // a second service over the same store goes through the same start-up path as a restarted server
        RulesService restarted = new RulesService(store.mongo(), context.getBean(RulesProperties.class),
                java.time.Clock.systemUTC());
        restarted.start();
        assertThat(restarted.activeVersion()).isEqualTo(2);
        assertThat(restarted.parameters().get("new-days").value()).isEqualTo(14);
        awaitIdle(worker);
        RulesTestSupport.sleep(200);
    }
}
