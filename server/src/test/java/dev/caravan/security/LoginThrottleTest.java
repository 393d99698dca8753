package dev.caravan.security;

import static dev.caravan.test.Events.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.caravan.test.CaravanTest;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.unit.DataSize;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** Brute force gets throttled: per username (account lockout) and per client address. */
@CaravanTest
class LoginThrottleTest {

    static final String PASSWORD = "victim-password-123";

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;
    @Autowired
    LoginThrottle throttle;
    @Autowired
    AccessProperties props;

    @BeforeEach
    void setUp() {
        store.clear();
        throttle.reset();
        api.admin().delete().uri("/api/v1/users/victim").retrieve().toBodilessEntity();
        api.admin().post().uri("/api/v1/users").body(map("username", "victim", "password", PASSWORD, "roles", List.of("SUPPORT")))
                .retrieve().toBodilessEntity();
    }

    @AfterEach
    void tearDown() {
        throttle.reset(); // 127.0.0.1 is every test's address
    }

    @Test
    void guessingOnePasswordLocksTheAccount() {
        int max = props.login().maxFailuresPerUser();
        for (int i = 0; i < max; i++) {
            assertThat(status(basic("victim", "guess-" + i))).as("guess " + i).isEqualTo(401);
        }
        // locked: even the right password is refused, before the hash is checked
        ResponseEntity<JsonNode> locked = basic("victim", PASSWORD).get().uri("/api/v1/customers").retrieve()
                .toEntity(JsonNode.class);
        assertThat(locked.getStatusCode().value()).isEqualTo(429);
        long retryAfter = Long.parseLong(locked.getHeaders().getFirst("Retry-After"));
        assertThat(retryAfter).isBetween(1L, props.login().lockout().toSeconds());
        assertThat(locked.getBody().get("title").asString()).isEqualTo("Too many failed logins");
        assertThat(status(basic("VICTIM", "guess-again"))).as("usernames compare case-insensitively").isEqualTo(429);
        // the console's form login is refused too, before its chain (CSRF, password check) runs
        int form = raw().build().post().uri("/login").contentType(org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED)
                .body("username=victim&password=" + PASSWORD).retrieve().toBodilessEntity().getStatusCode().value();
        assertThat(form).isEqualTo(429);
        // other users from the same address still work
        assertThat(status(basic("admin", TestApi.ADMIN_PASSWORD))).isEqualTo(200);

        JsonNode audit = api.admin().get().uri("/api/v1/audit?action=login.").retrieve().body(JsonNode.class);
        List<String> actions = new ArrayList<>();
        audit.get("content").forEach(e -> actions.add(e.get("action").asString() + " " + e.get("target").asString()));
        assertThat(actions).contains("login.locked user:victim");
        assertThat(actions.stream().filter(a -> a.equals("login.failure user:victim"))).hasSize(max);
    }

    @Test
    void oneAddressTryingManyUsersIsBlocked() {
        int max = props.login().maxFailuresPerAddress();
        for (int i = 0; i < max; i++) {
            assertThat(status(basic("user-" + i, "guess"))).isEqualTo(401);
        }
        assertThat(status(basic("admin", TestApi.ADMIN_PASSWORD))).as("the address is blocked for every account").isEqualTo(429);
        assertThat(status(apiKey("cvk_abc_def"))).isEqualTo(429);
        // requests without credentials are not affected (health, webhooks)
        assertThat(api.anonymous().get().uri("/actuator/health").retrieve().toBodilessEntity().getStatusCode().value())
                .isEqualTo(200);
    }

    @Test
    void wrongApiKeysCountAgainstTheAddress() {
        int max = props.login().maxFailuresPerAddress();
        for (int i = 0; i < max; i++) {
            assertThat(status(apiKey("cvk_k" + i + "_wrong"))).isEqualTo(401);
        }
        assertThat(status(basic("admin", TestApi.ADMIN_PASSWORD))).isEqualTo(429);
    }

    @Test
    void aLockEndsAfterTheLockoutAndASuccessClearsFailures() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        AccessProperties p = new AccessProperties(new AccessProperties.Login(3, 10, Duration.ofMinutes(15),
                Duration.ofMinutes(10), Duration.ofMinutes(30), List.of()), null,
                new AccessProperties.Limits(DataSize.ofMegabytes(1), List.of(), List.of()), null);
        List<Object> published = new ArrayList<>();
        LoginThrottle t = new LoginThrottle(p, clock, published::add);

        t.failure("ann", "10.0.0.1");
        t.failure("ann", "10.0.0.1");
        t.success("ann");
        t.failure("ann", "10.0.0.1");
        t.failure("ann", "10.0.0.1");
        assertThat(t.lockedUntil("ann", "10.0.0.2")).as("a success reset the count").isEmpty();
        t.failure("ann", "10.0.0.1");
        assertThat(t.lockedUntil("ann", "10.0.0.2")).contains(now.get().plus(Duration.ofMinutes(10)));
        assertThat(published).hasSize(1);
        now.set(now.get().plus(Duration.ofMinutes(11)));
        assertThat(t.lockedUntil("ann", "10.0.0.2")).isEmpty();
        // failures older than the window no longer count
        t.failure("bob", null);
        t.failure("bob", null);
        now.set(now.get().plus(Duration.ofMinutes(16)));
        t.failure("bob", null);
        assertThat(t.lockedUntil("bob", null)).isEmpty();
    }

    /**
     * Clients on the JDK HTTP client: the default (Apache HttpClient 5) transparently retries a 429 after its
     * Retry-After, which would make these tests wait out the lockout.
     */
    private RestClient basic(String user, String password) {
        return raw().defaultHeaders(h -> h.setBasicAuth(user, password)).build();
    }

    private RestClient apiKey(String key) {
        return raw().defaultHeader("X-Api-Key", key).build();
    }

    private RestClient.Builder raw() {
        return RestClient.builder().baseUrl(api.baseUrl()).requestFactory(new JdkClientHttpRequestFactory())
                .defaultStatusHandler(status -> true, (req, res) -> { });
    }

    private static int status(RestClient client) {
        return client.get().uri("/api/v1/customers").retrieve().toBodilessEntity().getStatusCode().value();
    }
}
