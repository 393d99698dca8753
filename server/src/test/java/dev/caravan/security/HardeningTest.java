package dev.caravan.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.caravan.test.CaravanTest;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** Security headers, and request size limits answered with 413 problem documents. */
@CaravanTest
class HardeningTest {

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;
    @Autowired
    AccessProperties props;

    @Test
    void apiAnswersCarrySecurityHeaders() {
        ResponseEntity<String> r = api.admin().get().uri("/api/v1/rates").retrieve().toEntity(String.class);
        HttpHeaders h = r.getHeaders();
        assertThat(h.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(h.getFirst("X-Frame-Options")).isEqualTo("DENY");
        assertThat(h.getFirst("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(h.getFirst("Content-Security-Policy")).contains("default-src 'self'").contains("frame-ancestors 'none'")
                .contains("script-src 'self'").doesNotContain("unsafe-eval");
        assertThat(h.getFirst("Strict-Transport-Security")).as("HSTS only over HTTPS").isNull();
        assertThat(h.getFirst("Cache-Control")).contains("no-store");
        // also on errors and 401s
        HttpHeaders anonymous = api.anonymous().get().uri("/api/v1/customers").retrieve().toBodilessEntity().getHeaders();
        assertThat(anonymous.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(anonymous.getFirst("Content-Security-Policy")).isNotNull();
    }

    /** The Swagger UI loads only same-origin scripts, so the CSP (script-src 'self') lets it run. */
    @Test
    void swaggerUiWorksUnderTheCsp() {
        ResponseEntity<String> page = api.admin().get().uri("/swagger-ui/index.html").retrieve().toEntity(String.class);
        assertThat(page.getStatusCode().value()).isEqualTo(200);
        assertThat(page.getHeaders().getFirst("Content-Security-Policy")).isEqualTo(props.headers().contentSecurityPolicy());
        Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(page.getBody());
        int count = 0;
        while (scripts.find()) {
            count++;
            assertThat(scripts.group(2).trim()).as("inline script would be blocked: " + scripts.group()).isEmpty();
            Matcher src = Pattern.compile("src=\"([^\"]+)\"").matcher(scripts.group(1));
            assertThat(src.find()).isTrue();
            assertThat(src.group(1)).as("same-origin script").doesNotStartWith("http");
            String path = src.group(1).startsWith("/") ? src.group(1) : "/swagger-ui/" + src.group(1).replaceFirst("^\\./", "");
            assertThat(api.admin().get().uri(path).retrieve().toBodilessEntity().getStatusCode().value()).as(path).isEqualTo(200);
        }
        assertThat(count).isGreaterThan(0);
        assertThat(api.admin().get().uri("/v3/api-docs/swagger-config").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void oversizedEventBatchesAre413() throws Exception {
        store.clear();
        long limit = 1024 * 1024; // application-test.yml: caravan.security.limits.paths=/api/v1/events=1MB
        String big = "[" + "{\"eventId\":\"x\",\"type\":\"page_view\",\"pad\":\"" + "a".repeat((int) limit) + "\"}" + "]";

        // declared Content-Length: refused before the body is read
        ResponseEntity<JsonNode> declared = api.admin().post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON)
                .body(big).retrieve().toEntity(JsonNode.class);
        assertThat(declared.getStatusCode().value()).isEqualTo(413);
        assertThat(declared.getHeaders().getContentType().toString()).contains("application/problem+json");
        assertThat(declared.getBody().get("detail").asString()).contains("caravan.security.limits");

        // chunked (no Content-Length): cut while reading
        HttpClient client = HttpClient.newHttpClient();
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/events"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin:" + TestApi.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build();
        HttpResponse<String> r = client.send(chunked, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(r.body()).contains("Payload too large");

        assertThat(store.mongo().getCollection("behaviour_events").countDocuments()).isZero();
    }
}
