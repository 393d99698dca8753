package dev.caravan.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import java.time.Duration;
import java.time.Instant;

import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * The CLV fit through the server: CDNOW's 2,357-customer sample imported as orders, fitted with the paper's
 * calibration cut-off (holdout check against the real later purchases), then with today's cut-off so that every
 * profile gets predictions; bad input gets 4xx. The server's clock stands at the end of the CDNOW data.
 */
@AnalyticsTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClvApiTest {

    static final Instant END = Instant.parse("1998-06-30T20:00:00Z");

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;
    @Autowired
    MutableClock clock;
    @Autowired
    PredictionRefresher refresher;
    @Autowired
    ClvService clv;

    @BeforeAll
    void importCdnow() {
        SharedData.dataset("cdnow/CDNOW_sample.txt");
        store.clear();
        clock.set(END);
        long t0 = System.nanoTime();
        CdnowOrders.importSample(api);
        System.out.printf("CDNOW sample imported in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    JsonNode fit(String query) {
        RestClient admin = api.admin();
        var res = admin.post().uri("/api/v1/analytics/clv/fit" + query).retrieve().toEntity(JsonNode.class);
        assertThat(res.getStatusCode().value()).isEqualTo(202);
        assertThat(res.getHeaders().getLocation()).isNotNull();
        String jobId = res.getBody().get("jobId").asString();
        return api.awaitJson(admin, "/api/v1/analytics/clv/fit/" + jobId,
                j -> j.get("state").asString().equals("SUCCEEDED") || j.get("state").asString().equals("FAILED"),
                Duration.ofMinutes(2));
    }

    @Test
    @Order(1)
    void calibrationFitReproducesThePaperAndChecksTheHoldout() {
        JsonNode job = fit("?cutoff=1997-09-30");
        assertThat(job.get("state").asString()).as("%s", job).isEqualTo("SUCCEEDED");
        JsonNode model = api.admin().get().uri("/api/v1/analytics/clv/model").retrieve().body(JsonNode.class);
        assertThat(model.get("id").asString()).isEqualTo(job.get("modelId").asString());
        assertThat(model.get("cutoff").asString()).isEqualTo("1997-09-30");
        assertThat(model.get("timeUnit").asString()).isEqualTo("days");
        assertThat(model.get("customers").asInt()).isEqualTo(2357);
        assertThat(model.get("active").asBoolean()).isFalse();
        JsonNode p = model.get("purchases");
        // the paper's weekly parameters; alpha is a time (the scale of the purchase-rate distribution): days / 7
        assertThat(p.get("r").asDouble()).isCloseTo(0.243, withPercentage(2));
        assertThat(p.get("alpha").asDouble() / 7).isCloseTo(4.414, withPercentage(2));
        assertThat(p.get("a").asDouble()).isCloseTo(0.793, withPercentage(2));
        assertThat(p.get("b").asDouble()).isCloseTo(2.426, withPercentage(2));
        assertThat(p.get("logLikelihood").asDouble()).isNegative();
        assertThat(p.get("standardErrors").get("values")).hasSize(4);
        JsonNode s = model.get("spend");
        assertThat(s.get("p").asDouble()).isCloseTo(6.25, withPercentage(2));
        assertThat(s.get("q").asDouble()).isCloseTo(3.74, withPercentage(2));
        assertThat(s.get("v").asDouble()).isCloseTo(15.44, withPercentage(2));
        JsonNode holdout = model.get("holdout");
        assertThat(holdout.get("days").asLong()).isEqualTo(273);
        assertThat(holdout.get("actual").asDouble()).isEqualTo(1882);
        assertThat(Math.abs(holdout.get("error").asDouble())).isLessThan(0.15);
        assertThat(holdout.get("byFrequency")).hasSize(8);
    }

    @Test
    @Order(2)
    void todaysFitScoresEveryProfile() {
        JsonNode job = fit("");
        assertThat(job.get("state").asString()).as("%s", job).isEqualTo("SUCCEEDED");
        assertThat(job.get("counters").get("scored").asLong()).isEqualTo(2357);
        JsonNode model = api.admin().get().uri("/api/v1/analytics/clv/model").retrieve().body(JsonNode.class);
        assertThat(model.get("active").asBoolean()).isTrue();
        assertThat(model.get("cutoff").asString()).isEqualTo("1998-06-30");
        assertThat(model.path("holdout").isMissingNode() || model.path("holdout").isNull()).isTrue();

        JsonNode page = api.admin().get().uri("/api/v1/customers?size=50").retrieve().body(JsonNode.class);
        int checked = 0;
        for (JsonNode c : page.get("content")) {
            JsonNode pred = c.get("predictions");
            assertThat(pred.isNull()).as("predictions of %s", c.get("id")).isFalse();
            assertThat(pred.get("model").asString()).isEqualTo(model.get("id").asString());
            assertThat(pred.get("pAlive").asDouble()).isBetween(0.0, 1.0);
            assertThat(pred.get("expectedPurchases").asDouble()).isNotNegative();
            assertThat(pred.get("horizonDays").asInt()).isEqualTo(365);
            assertThat(pred.get("expectedOrderValue").asDouble()).isPositive();
            assertThat(pred.get("clv").asDouble()).isNotNegative();
            assertThat(Instant.parse(pred.get("nextOrderAt").asString())).isAfter(Instant.parse("1997-01-01T00:00:00Z"));
            assertThat(pred.get("bestSendHour").asInt()).isEqualTo(12);   // every order at noon UTC, no zone known
            assertThat(Instant.parse(pred.get("computedAt").asString())).isEqualTo(END);
            // the targeted $set left the order metrics alone
            assertThat(c.get("metrics").get("orderCount").asLong()).isPositive();
            checked++;
        }
        assertThat(checked).isGreaterThan(10);

        JsonNode dist = api.admin().get().uri("/api/v1/analytics/clv/model/purchase-distribution?days=273&max=20")
                .retrieve().body(JsonNode.class);
        assertThat(dist.get("probabilities")).hasSize(21);
        assertThat(dist.get("probabilities").get(0).asDouble()).isBetween(0.4, 0.8);
    }

    @Test
    @Order(3)
    void newOrdersAreRescoredWithTheActiveModel() {
        JsonNode before = api.admin().get().uri("/api/v1/customers?size=1").retrieve().body(JsonNode.class).get("content").get(0);
        String buyer = before.get("identities").get(0).get("buyerId").asString();
        double pAliveBefore = before.get("predictions").get("expectedPurchases").asDouble();
        refresher.drain(true);
        clock.set(END.plusSeconds(3600));
        String csv = "platform,order_id,buyer_id,placed_at,currency,total\ncdnow," + buyer + "-new," + buyer
                + ",1998-06-30T18:00:00Z,USD,20.00\n";
        JsonNode job = api.admin().post().uri("/api/v1/imports?kind=orders").contentType(MediaType.valueOf("text/csv"))
                .body(csv).retrieve().body(JsonNode.class);
        api.awaitJson(api.admin(), "/api/v1/imports/" + job.get("jobId").asString(),
                j -> j.get("state").asString().equals("SUCCEEDED"), Duration.ofSeconds(30));
        assertThat(refresher.pending()).isPositive();
        assertThat(refresher.drain(true)).isEqualTo(1);
        JsonNode after = api.admin().get().uri("/api/v1/customers/" + before.get("id").asString()).retrieve().body(JsonNode.class);
        JsonNode pred = after.get("customer").get("predictions");
        assertThat(Instant.parse(pred.get("computedAt").asString())).isEqualTo(END.plusSeconds(3600));
        assertThat(pred.get("expectedPurchases").asDouble()).isNotEqualTo(pAliveBefore);
        assertThat(pred.get("bestSendHour").isNull()).isFalse();
    }

    @Test
    @Order(4)
    void badRequestsGetProblemAnswers() {
        RestClient admin = api.admin();
        assertThat(admin.post().uri("/api/v1/analytics/clv/fit?cutoff=2999-01-01").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(400);
        assertThat(admin.post().uri("/api/v1/analytics/clv/fit?cutoff=yesterday").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(400);
        assertThat(admin.get().uri("/api/v1/analytics/clv/fit/nope").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(404);
        assertThat(admin.get().uri("/api/v1/analytics/clv/model?platform=ebay").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(404);
        assertThat(admin.get().uri("/api/v1/analytics/clv/model/purchase-distribution?days=0").retrieve()
                .toBodilessEntity().getStatusCode().value()).isEqualTo(400);
        assertThat(api.anonymous().get().uri("/api/v1/analytics/clv/model").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(401);
        // a platform nobody bought on: the job fails with a reason instead of fitting garbage
        JsonNode job = fit("?platform=ebay");
        assertThat(job.get("state").asString()).isEqualTo("FAILED");
        assertThat(job.get("message").asString()).contains("ebay");
    }

    @Test
    @Order(5)
    void reportsChartTheImportedCustomers() {
        RestClient admin = api.admin();
        java.util.Map<String, Cdnow.Purchases> sample = Cdnow.sample();
        long repeaters = sample.values().stream().filter(p -> p.rfm(Cdnow.HOLDOUT_END).x() > 0).count();
        long gaps = sample.values().stream().mapToLong(p -> p.rfm(Cdnow.HOLDOUT_END).x()).sum();

        JsonNode contribution = admin.get().uri("/api/v1/analytics/value/contribution").retrieve().body(JsonNode.class);
        assertThat(contribution.get("customers").asLong()).isEqualTo(2357);
        assertThat(contribution.get("curve")).hasSize(101);
        assertThat(contribution.get("curve").get(100).get("revenueShare").asDouble()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(contribution.get("top20Share").asDouble()).isBetween(0.5, 0.9);

        JsonNode tiers = admin.get().uri("/api/v1/analytics/tiers").retrieve().body(JsonNode.class);
        // The rules classify customers in the background, so some may still be without a tier ("none").
        assertThat(tiers.get("groups").valueStream().map(g -> g.get("key").asString()))
                .isSubsetOf("core", "growth", "base", "none");
        assertThat(tiers.get("groups").valueStream().mapToLong(g -> g.get("customers").asLong()).sum()).isEqualTo(2357);

        JsonNode clv = admin.get().uri("/api/v1/analytics/clv/distribution").retrieve().body(JsonNode.class);
        assertThat(clv.get("customers").asLong()).isEqualTo(2357);
        assertThat(clv.get("histogram")).hasSize(20);
        JsonNode alive = admin.get().uri("/api/v1/analytics/clv/p-alive").retrieve().body(JsonNode.class);
        long sum = 0;
        for (JsonNode b : alive.get("histogram")) sum += b.get("count").asLong();
        assertThat(sum).isEqualTo(2357);

        JsonNode atRisk = admin.get().uri("/api/v1/analytics/clv/at-risk?limit=20").retrieve().body(JsonNode.class);
        assertThat(atRisk).isNotEmpty();
        for (JsonNode c : atRisk) assertThat(c.get("pAlive").asDouble()).isLessThan(0.3);

        JsonNode repurchase = admin.get().uri("/api/v1/analytics/repurchase").retrieve().body(JsonNode.class);
        assertThat(repurchase.get("buyers").asLong()).isEqualTo(2357);
        // the order added in the rescoring test may have added one purchase day
        assertThat(repurchase.get("repeatBuyers").asLong()).isBetween(repeaters, repeaters + 1);
        JsonNode between = admin.get().uri("/api/v1/analytics/time-between-orders").retrieve().body(JsonNode.class);
        assertThat(between.get("gaps").asLong()).isBetween(gaps, gaps + 1);
        assertThat(between.get("histogram")).hasSize(8);

        JsonNode cohorts = admin.get().uri("/api/v1/analytics/cohorts?months=18").retrieve().body(JsonNode.class);
        assertThat(cohorts.get("cohorts")).hasSize(3);   // CDNOW: first purchases in Q1 1997
        assertThat(cohorts.get("cohorts").get(0).get("month").asString()).isEqualTo("1997-01");
        assertThat(cohorts.get("cohorts").get(0).get("retention").get(0).asDouble()).isEqualTo(1.0);
        assertThat(cohorts.get("cohorts").get(0).get("retention")).hasSize(18);

        JsonNode rfm = admin.get().uri("/api/v1/analytics/rfm").retrieve().body(JsonNode.class);
        assertThat(rfm.get("cells")).hasSize(25);
        long cells = 0;
        for (JsonNode c : rfm.get("cells")) cells += c.get("customers").asLong();
        assertThat(cells).isEqualTo(2357);

        JsonNode platforms = admin.get().uri("/api/v1/analytics/breakdown/platform").retrieve().body(JsonNode.class);
        assertThat(platforms.get("groups").get(0).get("key").asString()).isEqualTo("cdnow");
        assertThat(platforms.get("groups").get(0).get("customers").asLong()).isEqualTo(2357);
        JsonNode currencies = admin.get().uri("/api/v1/analytics/breakdown/currency").retrieve().body(JsonNode.class);
        assertThat(currencies.get("groups").get(0).get("key").asString()).isEqualTo("USD");
        assertThat(admin.get().uri("/api/v1/analytics/breakdown/colour").retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(400);

        JsonNode forecast = admin.get().uri("/api/v1/analytics/forecast?weeks=8&holdoutWeeks=8").retrieve().body(JsonNode.class);
        JsonNode total = forecast.get("series").get(0);
        assertThat(total.get("key").asString()).isEqualTo("total");
        assertThat(total.get("forecast")).hasSize(8);
        assertThat(total.get("backtest").get("mape").asDouble()).isPositive().isLessThan(1.0);
        assertThat(total.get("method").asString()).isIn("holt-winters-additive", "holt-linear");
        JsonNode byPlatform = admin.get().uri("/api/v1/analytics/forecast?by=platform").retrieve().body(JsonNode.class);
        assertThat(byPlatform.get("series").get(0).get("key").asString()).isEqualTo("cdnow");

        JsonNode snapshot = admin.post().uri("/api/v1/analytics/snapshots").retrieve().body(JsonNode.class);
        assertThat(snapshot.get("date").asString()).isEqualTo("1998-06-30");
        JsonNode snapshots = admin.get().uri("/api/v1/analytics/snapshots?from=1998-06-01").retrieve().body(JsonNode.class);
        assertThat(snapshots).hasSize(1);
        assertThat(snapshots.get(0).get("tiers").valueStream().mapToLong(JsonNode::asLong).sum()).isEqualTo(2357);

        JsonNode due = admin.get().uri("/api/v1/analytics/repurchase/due?from=1998-06-01T00:00:00Z&to=1999-01-01T00:00:00Z&limit=10")
                .retrieve().body(JsonNode.class);
        assertThat(due).isNotEmpty();

        JsonNode journeys = admin.get().uri("/api/v1/analytics/journeys").retrieve().body(JsonNode.class);
        // messaging supplies the numbers; imported history sent no message
        assertThat(journeys.get("available").asBoolean()).isTrue();
        assertThat(journeys.get("lines")).isEmpty();
        assertThat(admin.get().uri("/api/v1/analytics/journeys?groupBy=colour").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(400);
    }

    @Test
    @Order(6)
    void theScheduledRefitRunsAFitOverAllPlatforms() {
        long before = store.mongo().getCollection("clv_models").countDocuments();
        clv.nightly();
        String jobId = store.mongo().getCollection("jobs").find(new org.bson.Document("kind", ClvService.JOB_KIND)
                .append("createdBy", "scheduler")).first().get("_id").toString();
        JsonNode job = api.awaitJson(api.admin(), "/api/v1/analytics/clv/fit/" + jobId,
                j -> j.get("state").asString().equals("SUCCEEDED") || j.get("state").asString().equals("FAILED"),
                Duration.ofMinutes(2));
        assertThat(job.get("state").asString()).as("%s", job).isEqualTo("SUCCEEDED");
        assertThat(job.get("cutoff").asString()).isEqualTo("1998-06-30");
        assertThat(store.mongo().getCollection("clv_models").countDocuments()).isEqualTo(before + 1);
        JsonNode model = api.admin().get().uri("/api/v1/analytics/clv/model").retrieve().body(JsonNode.class);
        assertThat(model.get("id").asString()).isEqualTo(job.get("modelId").asString());
        assertThat(model.get("active").asBoolean()).isTrue();
    }
}
