package dev.caravan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.test.CaravanTest;
import dev.caravan.test.TestApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

@CaravanTest
class SmokeTest {

    @Autowired
    TestApi api;

    @Test
    void healthIsPublicAndUp() {
        JsonNode health = api.anonymous().get().uri("/actuator/health").retrieve().body(JsonNode.class);
        assertThat(health.get("status").asString()).isEqualTo("UP");
    }
}
