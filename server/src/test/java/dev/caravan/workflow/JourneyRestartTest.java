package dev.caravan.workflow;

import static dev.caravan.test.Events.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.caravan.CaravanApplication;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * A real restart: the server (H2 file store, real clock, poller on) stops while journeys wait; the waits come due
 * while it is down; the next server process on the same data fires each of them exactly once.
 */
class JourneyRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void waitsThatCameDueWhileTheServerWasDownFireOnceAfterTheRestart() throws Exception {
        try (ConfigurableApplicationContext first = start()) {
            RestClient c = client(first);
            var put = c.put().uri("/api/v1/workflows/restart-real").contentType(MediaType.APPLICATION_XML)
                    .body(TestBpmn.waitThenSend("restart-real", "searched", "PT3S", "after-restart", ""))
                    .retrieve().toEntity(String.class);
            assertThat(put.getStatusCode().value()).as(put.getBody()).isEqualTo(200);
            c.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON)
                    .body(List.of(
                            dev.caravan.test.Events.event("rr-1", "searched", Instant.now().toString(),
                                    map("email", "rr1@example.com"), map("query", "tea")),
                            dev.caravan.test.Events.event("rr-2", "searched", Instant.now().toString(),
                                    map("email", "rr2@example.com"), map("query", "tea"))))
                    .retrieve().toBodilessEntity();
            MongoTemplate mongo = first.getBean(MongoTemplate.class);
            await(() -> mongo.getCollection(WorkStore.COLLECTION).countDocuments(new Document("kind", "WAIT")) == 2);
            assertThat(mongo.getCollection(StoringJourneyMessenger.COLLECTION).countDocuments()).isZero();
        }
        Thread.sleep(3500); // the waits come due while no server runs
        try (ConfigurableApplicationContext second = start()) {
            MongoTemplate mongo = second.getBean(MongoTemplate.class);
            await(() -> mongo.getCollection(InstanceStore.COLLECTION).countDocuments(new Document("status", "COMPLETED")) == 2);
            Thread.sleep(1500); // a second poll must not send again
            assertThat(mongo.getCollection(StoringJourneyMessenger.COLLECTION).countDocuments(new Document("template", "after-restart")))
                    .isEqualTo(2);
            assertThat(mongo.getCollection(WorkStore.COLLECTION).countDocuments()).isZero();
            JsonNode counts = client(second).get().uri("/api/v1/workflows/restart-real/instances").retrieve().body(JsonNode.class);
            assertThat(counts.get("byState").get("COMPLETED").asInt()).isEqualTo(2);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("condition not met within 30 s");
            Thread.sleep(100);
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplication(CaravanApplication.class).run("--server.port=0", "--caravan.demo=false",
                "--caravan.data-dir=" + dataDir, "--caravan.admin-password=restart-test-password",
                "--caravan.store.embedded-backend=h2", "--spring.main.banner-mode=off",
                // the test journey uses a made-up template: record the sends instead of delivering them
                "--caravan.workflows.messenger=store",
                "--caravan.workflows.poll-interval=PT0.2S");
    }

    private static RestClient client(ConfigurableApplicationContext ctx) {
        String port = ctx.getEnvironment().getRequiredProperty("local.server.port");
        return RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultHeaders(h -> h.setBasicAuth("admin", "restart-test-password")).build();
    }
}
