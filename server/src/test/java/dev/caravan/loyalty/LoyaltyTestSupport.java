package dev.caravan.loyalty;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import dev.caravan.rules.RulesService;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** Helpers of the loyalty tests: a clean store, events through the API, users with roles, captured domain events. */
final class LoyaltyTestSupport {

    static final String PASSWORD = "loyalty-test-password-1";
    /** Domain events of the loyalty feature, collected across threads. */
    static final List<Object> EVENTS = new CopyOnWriteArrayList<>();
    private static volatile boolean listening;

    private LoyaltyTestSupport() {
    }

    static void reset(TestStore store, RulesService rules, BenefitsService benefits, ConfigurableApplicationContext context,
                      TestApi api) {
        store.clear();
        rules.reload();
        benefits.forget();
        if (!listening) {
            listening = true;
            context.addApplicationListener((ApplicationListener<ApplicationEvent>) e -> {
                if (e instanceof PayloadApplicationEvent<?> p
                        && p.getPayload().getClass().getPackageName().startsWith("dev.caravan.loyalty")) {
                    EVENTS.add(p.getPayload());
                }
            });
        }
        EVENTS.clear();
        for (String role : List.of("MARKETER", "SUPPORT", "ANALYST")) {
            api.admin().post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("username", role.toLowerCase(), "password", PASSWORD, "roles", List.of(role)))
                    .retrieve().toBodilessEntity();
        }
    }

    static RestClient as(TestApi api, String role) {
        return role.equals("ADMIN") ? api.admin() : api.as(role.toLowerCase(), PASSWORD);
    }

    static <T> List<T> events(Class<T> type) {
        return EVENTS.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static Map<String, Object> buyer(String buyer) {
        return Map.of("platform", "shopify", "storeId", "eu", "buyerId", buyer, "email", buyer + "@example.com");
    }

    static Map<String, Object> order(String eventId, String buyer, String orderId, Instant at, String total,
                                     List<String> coupons) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("orderId", orderId);
        props.put("total", total);
        props.put("currency", "USD");
        if (coupons != null) props.put("couponCodes", coupons);
        return event(eventId, "order_placed", buyer, at, props);
    }

    static Map<String, Object> refund(String eventId, String buyer, String orderId, Instant at, String amount) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("orderId", orderId);
        if (amount != null) {
            props.put("amount", amount);
            props.put("currency", "USD");
        }
        props.put("refundId", eventId);
        return event(eventId, "order_refunded", buyer, at, props);
    }

    static Map<String, Object> event(String eventId, String type, String buyer, Instant at, Map<String, Object> props) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", eventId);
        e.put("type", type);
        e.put("occurredAt", at.toString());
        e.put("customer", buyer(buyer));
        e.put("properties", props);
        return e;
    }

    /** Posts events; returns the customer id of each. */
    static List<String> send(TestApi api, List<Map<String, Object>> events) {
        JsonNode r = api.admin().post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON).body(events)
                .retrieve().body(JsonNode.class);
        if (r == null || r.path("rejected").asInt() > 0) throw new AssertionError("events rejected: " + r);
        List<String> ids = new ArrayList<>();
        r.path("results").forEach(x -> ids.add(x.path("customerId").asString()));
        return ids;
    }

    static String send(TestApi api, Map<String, Object> event) {
        return send(api, List.of(event)).get(0);
    }

    static JsonNode points(TestApi api, String customerId) {
        return api.admin().get().uri("/api/v1/customers/" + customerId + "/points").retrieve().body(JsonNode.class);
    }

    static long balance(TestApi api, String customerId) {
        return points(api, customerId).path("balance").asLong();
    }

    static JsonNode await(TestApi api, String path, Predicate<JsonNode> done) {
        return api.awaitJson(api.admin(), path, done, Duration.ofSeconds(30));
    }
}
