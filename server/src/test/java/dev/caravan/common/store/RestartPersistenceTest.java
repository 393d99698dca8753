package dev.caravan.common.store;

import static dev.caravan.test.Events.customer;
import static dev.caravan.test.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import dev.caravan.CaravanApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** The default embedded store keeps its data in an H2 file under the data directory across restarts. */
class RestartPersistenceTest {

    @TempDir
    Path dataDir;

    @Test
    void dataSurvivesARestart() {
        String id;
        try (ConfigurableApplicationContext first = start()) {
            JsonNode r = client(first).post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON)
                    .body(List.of(order("rp-1", "2026-02-02T10:00:00Z",
                            customer("platform", "ebay", "buyerId", "kim", "email", "kim@example.com"), "E-1", "12.50", "EUR")))
                    .retrieve().body(JsonNode.class);
            id = r.get("results").get(0).get("customerId").asString();
        }
        try (ConfigurableApplicationContext second = start()) {
            RestClient c = client(second);
            JsonNode view = c.get().uri("/api/v1/customers/" + id).retrieve().body(JsonNode.class);
            assertThat(view.get("customer").get("emails").get(0).asString()).isEqualTo("kim@example.com");
            assertThat(view.get("orders").get("total").asLong()).isEqualTo(1);
            // Identity keys (a unique collection) still work: the same buyer joins the same customer.
            JsonNode again = c.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON)
                    .body(List.of(order("rp-2", "2026-02-03T10:00:00Z", customer("platform", "ebay", "buyerId", "kim"),
                            "E-2", "3", "EUR"))).retrieve().body(JsonNode.class);
            assertThat(again.get("results").get(0).get("customerId").asString()).isEqualTo(id);
            // And the replayed event is still known.
            JsonNode replay = c.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON)
                    .body(List.of(order("rp-1", "2026-02-02T10:00:00Z", customer("platform", "ebay", "buyerId", "kim"),
                            "E-1", "12.50", "EUR"))).retrieve().body(JsonNode.class);
            assertThat(replay.get("duplicates").asInt()).isEqualTo(1);
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplication(CaravanApplication.class).run("--server.port=0", "--caravan.demo=false",
                "--caravan.data-dir=" + dataDir, "--caravan.admin-password=restart-test-password",
                "--caravan.store.embedded-backend=h2", "--spring.main.banner-mode=off");
    }

    private static RestClient client(ConfigurableApplicationContext ctx) {
        String port = ctx.getEnvironment().getRequiredProperty("local.server.port");
        return RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultHeaders(h -> h.setBasicAuth("admin", "restart-test-password")).build();
    }
}
