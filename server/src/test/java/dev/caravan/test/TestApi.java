package dev.caravan.test;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * HTTP client for tests against the running server: {@link #admin()} sends HTTP Basic as admin,
 * {@link #as(String, String)} as any user, {@link #anonymous()} nothing. Responses with any status are returned,
 * not thrown, so tests can assert 4xx answers.
 */
@TestComponent
public class TestApi {

    public static final String ADMIN_PASSWORD = "test-admin-password";

    private final Environment env;

    public TestApi(Environment env) {
        this.env = env;
    }

    /** The server's address; the port is known only once the web server has started. */
    public String baseUrl() {
        return "http://127.0.0.1:" + env.getRequiredProperty("local.server.port");
    }

    public RestClient admin() {
        return as("admin", ADMIN_PASSWORD);
    }

    public RestClient as(String user, String password) {
        return builder().defaultHeaders(h -> h.setBasicAuth(user, password)).build();
    }

    public RestClient withApiKey(String key) {
        return builder().defaultHeader("X-Api-Key", key).build();
    }

    public RestClient anonymous() {
        return builder().build();
    }

    private RestClient.Builder builder() {
        return RestClient.builder().baseUrl(baseUrl())
                .defaultHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE + ", application/problem+json, */*")
                .defaultStatusHandler(status -> true, (req, res) -> { });
    }

    /** GETs a JSON document until it satisfies the condition (e.g. a job finished), or fails after the timeout. */
    public JsonNode awaitJson(RestClient client, String path, Predicate<JsonNode> done, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = client.get().uri(path).retrieve().body(JsonNode.class);
            if (last != null && done.test(last)) return last;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("timed out waiting on " + path + "; last answer: " + last);
    }
}
