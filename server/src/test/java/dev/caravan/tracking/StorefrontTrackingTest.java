package dev.caravan.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.sun.net.httpserver.HttpServer;
import dev.caravan.test.Browser;
import dev.caravan.test.MarketingTest;
import dev.caravan.test.SettableClock;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * The snippet in a real headless Chromium on a shop page served from another loopback origin: nothing before
 * consent, anonymous events buffered, identify joins them to the customer's timeline, later events go straight
 * there; CORS per publishable key; bots, missing consent, foreign origins and unknown keys are refused.
 */
@MarketingTest
class StorefrontTrackingTest {

    static final String CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/140.0.0.0 Safari/537.36";

    @Autowired TestApi api;
    @Autowired TestStore store;
    @Autowired SettableClock clock;

    HttpServer shop;
    String shopOrigin;
    String key;

    @BeforeEach
    void setUp() throws IOException {
        store.clear();
        clock.reset();   // the browser stamps events with real time
        shop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        shop.createContext("/", exchange -> {
            String page = """
                    <!doctype html><html><head><meta charset="utf-8"><title>Test shop %s</title>
                    <script>window.caravan=window.caravan||function(){(caravan.q=caravan.q||[]).push(arguments)};</script>
                    <script async src="%s/t/caravan.js" data-caravan-key="%s"></script>
                    </head><body><h1>Bags</h1></body></html>""".formatted(exchange.getRequestURI().getPath(), api.baseUrl(), key);
            byte[] b = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, b.length);
            exchange.getResponseBody().write(b);
            exchange.close();
        });
        shop.start();
        shopOrigin = "http://127.0.0.1:" + shop.getAddress().getPort();
        JsonNode site = api.admin().post().uri("/api/v1/tracking/sites")
                .body(Map.of("name", "Test shop", "storeId", "test-shop", "origins", List.of(shopOrigin)))
                .retrieve().body(JsonNode.class);
        key = site.get("key").asString();
    }

    @AfterEach
    void tearDown() {
        shop.stop(0);
    }

    @Test
    void snippetEventsReachTheCustomersTimelineAfterIdentify() throws Exception {
        try (Browser browser = Browser.start("--user-agent=" + CHROME_UA)) {
            browser.driver().get(shopOrigin + "/bags");
            await(() -> Boolean.TRUE.equals(browser.script("return typeof window.caravan === 'function' && !window.caravan.q")),
                    "the snippet to load");
            // before consent nothing is tracked
            assertThat(browser.script("return caravan('page')")).isEqualTo(false);
            assertThat(browser.script("return localStorage.getItem('caravan_aid')")).isNull();

            browser.script("caravan('consent', true); caravan('page');"
                    + "caravan('product', {sku: 'BAG-1', category: 'bags', price: '59.90', currency: 'EUR'});"
                    + "caravan('addToCart', {sku: 'BAG-1', category: 'bags', quantity: 1}); return caravan('flush');");
            await(() -> buffered() == 3, "three anonymous events buffered");
            assertThat(store.mongo().getCollection("customers").countDocuments()).isZero();

            // the next page: same visitor id, consent remembered; checkout, then identify
            browser.driver().get(shopOrigin + "/checkout");
            await(() -> Boolean.TRUE.equals(browser.script("return typeof window.caravan === 'function' && !window.caravan.q")),
                    "the snippet to load again");
            browser.script("caravan('checkout', {value: '59.90', currency: 'EUR', items: 1});"
                    + "return caravan('identify', 'Shopper@Example.com');");
            String customerId = awaitCustomer("shopper@example.com");
            List<String> kinds = awaitTimeline(customerId, 4);
            assertThat(kinds).containsExactlyInAnyOrder("page_viewed", "product_viewed", "added_to_cart", "checkout_started");
            JsonNode timeline = api.admin().get().uri("/api/v1/customers/{id}/timeline", customerId).retrieve().body(JsonNode.class);
            JsonNode product = find(timeline, "product_viewed");
            assertThat(product.get("details").get("sku").asString()).isEqualTo("BAG-1");
            assertThat(product.get("details").get("channel").asString()).isEqualTo("storefront");

            // identified now: a later event goes straight to the profile
            browser.script("caravan('page', {title: 'Thank you'}); return caravan('flush');");
            assertThat(awaitTimeline(customerId, 5).stream().filter("page_viewed"::equals).count()).isEqualTo(2);
            assertThat(buffered()).isZero();

            // a JSON post from the shop's origin passes the CORS preflight and can read the answer
            Object status = browser.asyncScript("var done = arguments[arguments.length - 1];"
                    + "fetch(arguments[0] + '/t/collect?k=' + arguments[1], {method: 'POST', headers: {'Content-Type': 'application/json'},"
                    + " body: JSON.stringify({aid: 'preflight-visitor', consent: true, events: [{id: 'preflight-1', type: 'page_viewed', props: {}}]})})"
                    + ".then(function (r) { return r.json().then(function (b) { done(r.status + ' ' + b.buffered); }); })"
                    + "['catch'](function (e) { done('failed ' + e); });", api.baseUrl(), key);
            assertThat(status).isEqualTo("202 1");

            // withdrawing consent forgets the visitor id in the browser
            browser.script("caravan('consent', false)");
            assertThat(browser.script("return localStorage.getItem('caravan_aid')")).isNull();
        }
    }

    @Test
    void refusesForeignOriginsUnknownKeysBotsAndMissingConsent() {
        String batch = "{\"aid\": \"visitor-0001\", \"consent\": true, \"events\": [{\"id\": \"event-0001\", \"type\": \"page_viewed\"}]}";
        assertThat(collect(key, batch, "https://evil.example", CHROME_UA).getStatusCode().value()).isEqualTo(403);
        assertThat(collect("pk_00000000000000000000000000000000", batch, shopOrigin, CHROME_UA).getStatusCode().value()).isEqualTo(403);
        assertThat(collect(key, batch, shopOrigin, "Mozilla/5.0 (compatible; Googlebot/2.1)").getBody().get("reason").asString()).isEqualTo("bot");
        assertThat(collect(key, batch, shopOrigin, null).getBody().get("reason").asString()).isEqualTo("bot");
        assertThat(collect(key, batch.replace("\"consent\": true", "\"consent\": false"), shopOrigin, CHROME_UA)
                .getBody().get("reason").asString()).isEqualTo("no_consent");
        assertThat(store.mongo().getCollection("tracking_visitors").countDocuments()).isZero();
        ResponseEntity<JsonNode> ok = collect(key, batch, shopOrigin, CHROME_UA);
        assertThat(ok.getStatusCode().value()).isEqualTo(202);
        assertThat(ok.getHeaders().getFirst("Access-Control-Allow-Origin")).isEqualTo(shopOrigin);
        assertThat(ok.getBody().get("buffered").asInt()).isEqualTo(1);
        // a preflight from a foreign origin is refused
        int preflight = api.anonymous().options().uri("/t/collect?k=" + key).header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST").retrieve().toBodilessEntity().getStatusCode().value();
        assertThat(preflight).isEqualTo(403);
        // the snippet itself is public JavaScript
        String js = api.anonymous().get().uri("/t/caravan.js").retrieve().body(String.class);
        assertThat(js).contains("data-caravan-key");
        // the key cannot read anything
        assertThat(api.anonymous().get().uri("/api/v1/customers?k=" + key).retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(401);
    }

    @Test
    void rateLimitsCountPerKeyAndAddress() {
        RateLimits limits = new RateLimits(new TrackingProperties(5, 3, 50, 65536, 200, Duration.ofDays(30),
                new TrackingProperties.BotFilter(true, "bot")));
        assertThat(List.of(limits.allow("k", "1.1.1.1"), limits.allow("k", "1.1.1.1"), limits.allow("k", "1.1.1.1"),
                limits.allow("k", "1.1.1.1"))).containsExactly(true, true, true, false);
        assertThat(limits.allow("k", "2.2.2.2")).isTrue();
        assertThat(limits.allow("k", "3.3.3.3")).isFalse();   // the key's sixth request this minute
    }

    private ResponseEntity<JsonNode> collect(String k, String body, String origin, String userAgent) {
        return api.anonymous().post().uri("/t/collect?k=" + k).contentType(MediaType.TEXT_PLAIN)
                .headers(h -> {
                    h.set("Origin", origin);
                    if (userAgent != null) h.set("User-Agent", userAgent);
                    else h.set("User-Agent", "");
                }).body(body).retrieve().toEntity(JsonNode.class);
    }

    private long buffered() {
        long n = 0;
        for (Document v : store.mongo().getCollection("tracking_visitors").find()) {
            n += v.getList("events", Document.class, List.of()).size();
        }
        return n;
    }

    private String awaitCustomer(String email) throws InterruptedException {
        String[] id = new String[1];
        await(() -> {
            JsonNode page = api.admin().get().uri("/api/v1/customers?q={q}", email).retrieve().body(JsonNode.class);
            if (page.get("content").isEmpty()) return false;
            id[0] = page.get("content").get(0).get("id").asString();
            return true;
        }, "the customer " + email);
        return id[0];
    }

    private List<String> awaitTimeline(String customerId, int entries) throws InterruptedException {
        List<String> kinds = new ArrayList<>();
        await(() -> {
            kinds.clear();
            api.admin().get().uri("/api/v1/customers/{id}/timeline", customerId).retrieve().body(JsonNode.class)
                    .forEach(e -> kinds.add(e.get("kind").asString()));
            return kinds.size() >= entries;
        }, entries + " timeline entries");
        return kinds;
    }

    private static JsonNode find(JsonNode timeline, String kind) {
        for (JsonNode e : timeline) if (e.get("kind").asString().equals(kind)) return e;
        throw new AssertionError("no " + kind + " in " + timeline);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
