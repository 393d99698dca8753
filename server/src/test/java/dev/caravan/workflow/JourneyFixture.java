package dev.caravan.workflow;

import static dev.caravan.test.Events.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.caravan.messaging.MessageService;
import dev.caravan.messaging.template.ActiveTemplate;
import dev.caravan.messaging.template.RenderedMessage;
import dev.caravan.messaging.template.TemplateKey;
import dev.caravan.messaging.template.TemplateStore;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.bson.Document;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** Helpers for journey tests: a clean store with the packaged journeys, events over HTTP, time travel. */
@TestComponent
public class JourneyFixture {

    final TestApi api;
    final TestStore store;
    final MutableClock clock;
    final RecordingJourneyMessenger messenger;
    final JourneyRuntime runtime;
    final JourneyService journeys;
    final MessageService messages;
    final TemplateStore templates;
    private int seq;

    public JourneyFixture(TestApi api, TestStore store, MutableClock clock, RecordingJourneyMessenger messenger,
                          JourneyRuntime runtime, JourneyService journeys, MessageService messages,
                          TemplateStore templates) {
        this.api = api;
        this.store = store;
        this.clock = clock;
        this.messenger = messenger;
        this.runtime = runtime;
        this.journeys = journeys;
        this.messages = messages;
        this.templates = templates;
    }

    /**
     * Every send recorded so far would reach the customer complete: its template exists for e-mail, WhatsApp and the
     * inbox in English and Chinese, and a preview for the customer with the send's parameters misses no variable.
     */
    public void assertSendsRenderCompletely() {
        for (JourneyMessenger.MessageRequest m : messenger.sent()) {
            for (String channel : List.of("email", "whatsapp", "inbox")) {
                for (String language : List.of("en", "zh-CN")) {
                    TemplateKey key = new TemplateKey(m.template(), channel, language);
                    ActiveTemplate t = templates.find(key).orElseThrow(() -> new AssertionError(
                            "journey " + m.journeyId() + " step " + m.stepId() + " sends " + key + ", which does not exist"));
                    RenderedMessage r = messages.preview(t, m.customerId(), m.params());
                    assertThat(r.missingVariables()).as("variables missing in %s sent by %s/%s with %s", key,
                            m.journeyId(), m.stepId(), m.params()).isEmpty();
                    if (channel.equals("whatsapp")) {
                        assertThat(r.whatsAppParams()).as("WhatsApp parameters of %s", key).allMatch(p -> !p.isBlank());
                    }
                }
            }
        }
    }

    /** Empty store, packaged journeys deployed, clock at {@link JourneyTest#START}, no recorded sends. */
    public void reset() {
        runtime.runDue();
        store.clear();
        clock.set(JourneyTest.START);
        messenger.reset();
        journeys.deployPackaged();
    }

    /** Posts events (maps as built with {@link dev.caravan.test.Events}) and processes the triggers they queue. */
    public void post(Map<String, Object>... events) {
        JsonNode r = api.admin().post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON)
                .body(List.of(events)).retrieve().body(JsonNode.class);
        if (r == null || r.toString().contains("REJECTED")) throw new AssertionError("events not accepted: " + r);
        runtime.runDue();
    }

    /** Posts events and leaves their journey work waiting (the next {@link #travel} runs it in one poll). */
    @SafeVarargs
    public final void postOnly(Map<String, Object>... events) {
        JsonNode r = api.admin().post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON)
                .body(List.of(events)).retrieve().body(JsonNode.class);
        if (r == null || r.toString().contains("REJECTED")) throw new AssertionError("events not accepted: " + r);
    }

    /** A customer profile for events, with e-mail consent and a time zone. */
    public static Map<String, Object> customer(String email, Object... more) {
        Map<String, Object> c = map("email", email, "country", "DE", "timezone", "Europe/Berlin", "language", "de",
                "consents", map("email", true));
        for (int i = 0; i < more.length; i += 2) c.put((String) more[i], more[i + 1]);
        return c;
    }

    public Map<String, Object> event(String type, Map<String, Object> customer, Map<String, Object> properties) {
        return dev.caravan.test.Events.event("ev-" + type + "-" + (++seq) + "-" + System.nanoTime(), type,
                clock.instant().toString(), customer, properties);
    }

    public Map<String, Object> order(Map<String, Object> customer, String orderId) {
        return dev.caravan.test.Events.order("ev-order-" + orderId + "-" + System.nanoTime(), clock.instant().toString(),
                customer, orderId, "49.90", "EUR");
    }

    public String customerId(String email) {
        Document k = store.mongo().getCollection("identity_keys").find(new Document("_id", store.emailKey(email))).first();
        if (k == null) throw new AssertionError("no customer for " + email);
        return k.getString("customerId");
    }

    /** Moves the clock forward in steps (firing what came due at each step). */
    public void travel(Duration total, Duration step) {
        Instant end = clock.instant().plus(total);
        while (clock.instant().isBefore(end)) {
            Instant next = clock.instant().plus(step);
            clock.set(next.isAfter(end) ? end : next);
            runtime.runDue();
        }
    }

    public void travel(Duration total) {
        travel(total, Duration.ofHours(1));
    }

    public List<Document> instances(String customerId) {
        List<Document> out = new ArrayList<>();
        store.mongo().getCollection(InstanceStore.COLLECTION).find(new Document("customerId", customerId))
                .sort(new Document("startedAt", 1)).into(out);
        return out;
    }

    public Document instance(String customerId, String journeyId) {
        List<Document> all = instances(customerId).stream().filter(d -> journeyId.equals(d.getString("journeyId"))).toList();
        if (all.isEmpty()) throw new AssertionError("customer " + customerId + " never entered " + journeyId);
        return all.get(all.size() - 1);
    }

    public static List<String> stepIds(Document instance) {
        return instance.getList("steps", Document.class, List.of()).stream().map(s -> s.getString("nodeId")).toList();
    }
}
