package dev.caravan.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;

import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * UCI Online Retail through the server: the bundled demo subset (551 buyers, every order in GBP) imported with the
 * foundation's {@code format=uci-online-retail}, fitted over all platforms with the clock at the end of the data,
 * so every buyer gets predictions in the base currency; the forecast by country reports its backtest.
 */
@AnalyticsTest
class OnlineRetailApiTest {

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;
    @Autowired
    MutableClock clock;

    @Test
    void importedRetailDataFitsAndScores() throws IOException {
        store.clear();
        clock.set(Instant.parse("2011-12-10T12:00:00Z"));
        byte[] gz;
        try (InputStream in = getClass().getResourceAsStream("/demo/online-retail-sample.csv.gz")) {
            gz = in.readAllBytes();
        }
        JsonNode job = api.admin().post().uri("/api/v1/imports?kind=orders&format=uci-online-retail&filename=sample.csv.gz")
                .contentType(MediaType.valueOf("application/gzip")).body(gz).retrieve().body(JsonNode.class);
        JsonNode imported = api.awaitJson(api.admin(), "/api/v1/imports/" + job.get("jobId").asString(),
                j -> j.get("state").asString().equals("SUCCEEDED") || j.get("state").asString().equals("FAILED"),
                Duration.ofMinutes(3));
        assertThat(imported.get("state").asString()).as("%s", imported).isEqualTo("SUCCEEDED");

        JsonNode fit = api.admin().post().uri("/api/v1/analytics/clv/fit").retrieve().body(JsonNode.class);
        JsonNode done = api.awaitJson(api.admin(), "/api/v1/analytics/clv/fit/" + fit.get("jobId").asString(),
                j -> j.get("state").asString().equals("SUCCEEDED") || j.get("state").asString().equals("FAILED"),
                Duration.ofMinutes(2));
        assertThat(done.get("state").asString()).as("%s", done).isEqualTo("SUCCEEDED");
        JsonNode model = api.admin().get().uri("/api/v1/analytics/clv/model").retrieve().body(JsonNode.class);
        assertThat(model.get("customers").asInt()).isBetween(500, 551);
        assertThat(model.get("active").asBoolean()).isTrue();
        assertThat(model.get("scored").asLong()).isEqualTo(model.get("customers").asLong());
        assertThat(model.get("spend").get("q").asDouble()).isGreaterThan(1);

        JsonNode page = api.admin().get().uri("/api/v1/customers?size=20").retrieve().body(JsonNode.class);
        for (JsonNode c : page.get("content")) {
            if (c.get("metrics").get("orderCount").asLong() == 0) continue;   // only cancellations
            JsonNode p = c.get("predictions");
            assertThat(p.get("clv").asDouble()).as("%s", c).isNotNegative();
            // invoices are UK local time; buyers in the UK get their London hour, the shop opens 7-20
            assertThat(p.get("bestSendHour").asInt()).isBetween(6, 21);
        }

        JsonNode forecast = api.admin().get().uri("/api/v1/analytics/forecast?by=country&top=3&holdoutWeeks=6")
                .retrieve().body(JsonNode.class);
        JsonNode uk = forecast.get("series").get(0);
        assertThat(uk.get("key").asString()).isEqualTo("GB");
        assertThat(uk.get("backtest").get("weeks").asInt()).isEqualTo(6);
        assertThat(uk.get("forecast")).hasSize(12);
    }
}
