package dev.caravan.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.caravan.ingest.imports.ImportService;
import dev.caravan.test.CaravanTest;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;

/**
 * Real data: the bundled sample of the UCI Online Retail set (551 customers) goes through the ordinary import, then a
 * full evaluation. Tiers come out close to 20/30/50 and the core tier holds most of the revenue. (The figures for
 * the whole data set are in docs/RULES.md, measured by the benchmark.)
 */
@CaravanTest
class OnlineRetailTiersTest {

    @Autowired TestApi api;
    @Autowired TestStore store;
    @Autowired RulesService rules;
    @Autowired PopulationService population;
    @Autowired IncrementalEvaluator worker;
    @Autowired ImportService imports;
    @Autowired ConfigurableApplicationContext context;

    @Test
    void tiersOfTheOnlineRetailSampleAreCloseToTwentyThirtyFifty() throws Exception {
        RulesTestSupport.reset(store, rules, population, worker, context, api);
        String jobId;
        try (InputStream in = new ClassPathResource("demo/online-retail-sample.csv.gz").getInputStream()) {
            jobId = imports.submit("orders", "uci-online-retail", in, "online-retail-sample.csv.gz", "test").getId();
        }
        api.awaitJson(api.admin(), "/api/v1/imports/" + jobId, j -> j.path("state").asString().equals("SUCCEEDED"),
                Duration.ofSeconds(120));
        RulesTestSupport.awaitIdle(worker);
        JsonNode job = RulesTestSupport.awaitJob(api, api.admin().post().uri("/api/v1/rules/evaluations").retrieve()
                .body(JsonNode.class).path("id").asString());
        assertThat(job.path("state").asString()).isEqualTo("SUCCEEDED");

        Map<String, Integer> count = new HashMap<>();
        Map<String, BigDecimal> revenue = new HashMap<>();
        BigDecimal total = BigDecimal.ZERO;
        int customers = 0;
        for (Document c : store.mongo().getCollection("customers").find()) {
            Document m = c.get("metrics", Document.class);
            if (m == null || m.get("orderCount", Number.class).longValue() == 0) continue;
            customers++;
            BigDecimal net = ((Decimal128) m.get("totalSpend")).bigDecimalValue()
                    .subtract(((Decimal128) m.get("refundTotal")).bigDecimalValue());
            count.merge(c.getString("tier"), 1, Integer::sum);
            revenue.merge(c.getString("tier"), net, BigDecimal::add);
            total = total.add(net);
        }
        assertThat(customers).isGreaterThan(500);
        double core = 100.0 * count.getOrDefault("core", 0) / customers;
        double growth = 100.0 * count.getOrDefault("growth", 0) / customers;
        double base = 100.0 * count.getOrDefault("base", 0) / customers;
        double coreRevenue = 100.0 * revenue.getOrDefault("core", BigDecimal.ZERO).doubleValue() / total.doubleValue();
        System.out.printf("Online Retail sample: %d customers, core %.1f%% growth %.1f%% base %.1f%%, core revenue %.1f%%%n",
                customers, core, growth, base, coreRevenue);
        assertThat(core).isBetween(16.0, 24.0);
        assertThat(growth).isBetween(26.0, 34.0);
        assertThat(base).isBetween(45.0, 55.0);
        assertThat(coreRevenue).isGreaterThan(55.0);
    }
}
