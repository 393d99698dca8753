package dev.caravan.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** Shared helpers of the rules tests: a clean store with the packaged rules, events, waiting for the worker. */
final class RulesTestSupport {

    static final String MARKETER = "mara";
    static final String MARKETER_PASSWORD = "marketer-password-1";
    /** Domain events published by the rules, collected across threads (the worker publishes them). */
    static final List<Object> EVENTS = new CopyOnWriteArrayList<>();
    private static volatile boolean listening;

    private RulesTestSupport() {
    }

    static void reset(TestStore store, RulesService rules, PopulationService population, IncrementalEvaluator worker,
                      ConfigurableApplicationContext context, TestApi api) {
        awaitIdle(worker);
        store.clear();
        population.forget();
        rules.reload();
        if (!listening) {
            listening = true;
            context.addApplicationListener((ApplicationListener<ApplicationEvent>) e -> {
                if (e instanceof PayloadApplicationEvent<?> p && p.getPayload().getClass().getPackageName()
                        .equals("dev.caravan.rules")) {
                    EVENTS.add(p.getPayload());
                }
            });
        }
        EVENTS.clear();
        api.admin().post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("username", MARKETER, "password", MARKETER_PASSWORD, "roles", List.of("MARKETER")))
                .retrieve().toBodilessEntity();
    }

    static void awaitIdle(IncrementalEvaluator worker) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!worker.idle()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("the rules worker did not become idle");
            sleep(20);
        }
    }

    static JsonNode awaitJob(TestApi api, String jobId) {
        return api.awaitJson(api.admin(), "/api/v1/rules/evaluations/" + jobId,
                j -> j.path("state").asString().equals("SUCCEEDED") || j.path("state").asString().equals("FAILED"),
                Duration.ofSeconds(60));
    }

    static RestClient marketer(TestApi api) {
        return api.as(MARKETER, MARKETER_PASSWORD);
    }

    /** An order_placed event for a buyer on a platform. */
    static Map<String, Object> order(String eventId, String buyer, String platform, Instant at, double total,
                                     boolean coupon) {
        Map<String, Object> props = new java.util.LinkedHashMap<>();
        props.put("orderId", eventId);
        props.put("total", total);
        props.put("currency", "USD");
        if (coupon) props.put("couponCodes", List.of("SAVE10"));
        return Map.of("eventId", eventId, "type", "order_placed", "occurredAt", at.toString(),
                "customer", Map.of("platform", platform, "buyerId", buyer, "email", buyer + "@example.com"),
                "properties", props);
    }

    static Map<String, Object> complaint(String eventId, String buyer, String platform, Instant at) {
        return Map.of("eventId", eventId, "type", "complaint", "occurredAt", at.toString(),
                "customer", Map.of("platform", platform, "buyerId", buyer, "email", buyer + "@example.com"),
                "properties", Map.of("text", "broken"));
    }

    static JsonNode send(TestApi api, List<Map<String, Object>> events) {
        JsonNode r = api.admin().post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON).body(events)
                .retrieve().body(JsonNode.class);
        if (r == null || r.path("accepted").asInt() + r.path("duplicates").asInt() != events.size()) {
            throw new AssertionError("events not accepted: " + r);
        }
        return r;
    }

    static List<String> customerIds(JsonNode ingestResponse) {
        List<String> ids = new ArrayList<>();
        ingestResponse.path("results").forEach(r -> ids.add(r.path("customerId").asString()));
        return ids;
    }

    static <T> List<T> events(Class<T> type) {
        return EVENTS.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
