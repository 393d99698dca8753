package dev.caravan.audit;

import static dev.caravan.test.Events.customer;
import static dev.caravan.test.Events.map;
import static dev.caravan.test.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.caravan.common.audit.AuditEvent;
import dev.caravan.test.CaravanTest;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

@CaravanTest
class AuditLogTest {

    static final String PASSWORD = "a-long-audit-password";

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;
    @Autowired
    ApplicationEventPublisher events;

    RestClient admin;

    @BeforeEach
    void setUp() {
        store.clear();
        api.admin().delete().uri("/api/v1/users/auditee").retrieve().toBodilessEntity();
        admin = RestClient.builder().baseUrl(api.baseUrl())
                .defaultHeaders(h -> h.setBasicAuth("admin", TestApi.ADMIN_PASSWORD))
                .defaultHeader("User-Agent", "audit-test-agent/1.0")
                .defaultStatusHandler(status -> true, (req, res) -> { })
                .build();
    }

    @Test
    void userAndApiKeyChangesAreLoggedWithWhoWhenAndWhere() {
        Instant before = Instant.now().minusSeconds(1);
        admin.post().uri("/api/v1/users").body(map("username", "auditee", "password", PASSWORD, "roles", List.of("ANALYST")))
                .retrieve().toBodilessEntity();
        admin.put().uri("/api/v1/users/auditee").body(map("roles", List.of("ANALYST", "SUPPORT")))
                .retrieve().toBodilessEntity();
        JsonNode key = admin.post().uri("/api/v1/api-keys").body(map("name", "shop")).retrieve().body(JsonNode.class);
        admin.delete().uri("/api/v1/api-keys/" + key.get("id").asString()).retrieve().toBodilessEntity();
        admin.delete().uri("/api/v1/users/auditee").retrieve().toBodilessEntity();

        JsonNode created = only(search("action=user.create"));
        assertThat(created.get("actor").asString()).isEqualTo("admin");
        assertThat(created.get("target").asString()).isEqualTo("user:auditee");
        assertThat(created.get("remoteAddress").asString()).isEqualTo("127.0.0.1");
        assertThat(created.get("userAgent").asString()).isEqualTo("audit-test-agent/1.0");
        assertThat(Instant.parse(created.get("at").asString())).isAfter(before);
        JsonNode updated = only(search("action=user.update"));
        assertThat(updated.get("details").get("rolesBefore").toString()).isEqualTo("[\"ANALYST\"]");
        assertThat(updated.get("details").get("rolesAfter").toString()).isEqualTo("[\"ANALYST\",\"SUPPORT\"]");
        assertThat(only(search("action=api-key.create")).get("details").get("roles").toString()).isEqualTo("[\"INGEST\"]");
        assertThat(only(search("action=api-key.revoke")).get("target").asString()).isEqualTo("api-key:" + key.get("id").asString());
        assertThat(only(search("action=user.delete")).get("target").asString()).isEqualTo("user:auditee");
        // the key's secret never reaches the log
        String secret = key.get("key").asString();
        assertThat(store.mongo().getCollection("audit_log").find().into(new ArrayList<>()).toString())
                .doesNotContain(secret.substring(secret.lastIndexOf('_') + 1));
    }

    @Test
    void loginsSucceededAndFailedAreLogged() {
        admin.post().uri("/api/v1/users").body(map("username", "auditee", "password", PASSWORD, "roles", List.of("SUPPORT")))
                .retrieve().toBodilessEntity();
        assertThat(status(api.as("auditee", "wrong-password-1"), "/api/v1/customers")).isEqualTo(401);
        assertThat(status(api.as("auditee", PASSWORD), "/api/v1/customers")).isEqualTo(200);
        assertThat(status(api.as("auditee", PASSWORD), "/api/v1/customers")).isEqualTo(200);
        assertThat(status(api.withApiKey("cvk_nokey_wrongsecret"), "/api/v1/imports")).isEqualTo(401);

        JsonNode failure = only(search("action=login.failure&actor=auditee"));
        assertThat(failure.get("outcome").asString()).isEqualTo("failure");
        assertThat(failure.get("remoteAddress").asString()).isEqualTo("127.0.0.1");
        // a success is logged once per user and address per interval, not for every call
        assertThat(search("action=login.success&actor=auditee").get("totalElements").asLong()).isEqualTo(1);
        assertThat(only(search("action=login.failure&actor=apikey:nokey")).get("target").asString())
                .isEqualTo("api-key:nokey");
        // prefix filter
        assertThat(search("action=login.&actor=auditee").get("totalElements").asLong()).isEqualTo(2);
    }

    @Test
    void ruleChangesAndRollbacksCarryAUnifiedDiff() {
        JsonNode params = admin.get().uri("/api/v1/rules/parameters").retrieve().body(JsonNode.class);
        String name = params.propertyNames().iterator().next();
        JsonNode p = params.get(name);
        double value = p.get("value").asDouble() == p.get("max").asDouble() ? p.get("min").asDouble() : p.get("max").asDouble();
        JsonNode activated = admin.put().uri("/api/v1/rules/parameters")
                .body(map("values", Map.of(name, value), "comment", "audit test")).retrieve().body(JsonNode.class);
        assertThat(activated.has("version")).as(activated.toString()).isTrue();

        JsonNode change = only(search("action=rules.change"));
        assertThat(change.get("target").asString()).isEqualTo("rules:v" + activated.get("version").asLong());
        assertThat(change.get("summary").asString()).contains("audit test");
        String diff = change.get("diff").asString();
        assertThat(diff).contains("--- a/").contains("+++ b/").contains("@@");
        assertThat(diff.lines().filter(l -> l.startsWith("+") && !l.startsWith("+++"))).isNotEmpty();

        double other = (p.get("min").asDouble() + p.get("max").asDouble()) / 2;
        JsonNode second = admin.put().uri("/api/v1/rules/parameters")
                .body(map("values", Map.of(name, other), "comment", "second")).retrieve().body(JsonNode.class);
        long secondVersion = second.get("version").asLong();
        admin.post().uri("/api/v1/rules/versions/" + activated.get("version").asLong() + "/activate")
                .body(map("comment", "roll back")).retrieve().toBodilessEntity();
        JsonNode rollback = only(search("action=rules.activate"));
        assertThat(rollback.get("target").asString()).isEqualTo("rules:v" + activated.get("version").asLong());
        assertThat(rollback.get("details").get("previousVersion").asLong()).isEqualTo(secondVersion);
        assertThat(rollback.get("diff").asString()).contains("@@");
    }

    @Test
    void templateSavesAndActivationsCarryADiff() {
        String path = "/api/v1/messages/templates/order_confirmation/ebay/en";
        String source = admin.get().uri(path).retrieve().body(JsonNode.class).get("source").asString();
        String edited = source.replace("We will tell you when it ships.", "We will let you know when it ships.");
        assertThat(edited).isNotEqualTo(source);
        assertThat(admin.put().uri(path + "?comment=wording").contentType(MediaType.TEXT_PLAIN).body(edited)
                .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(200);
        JsonNode saved = only(search("action=template.save"));
        assertThat(saved.get("diff").asString())
                .contains("-We will tell you when it ships.").contains("+We will let you know when it ships.");
        admin.post().uri(path + "/activate").body(map("version", 0)).retrieve().toBodilessEntity();
        JsonNode back = only(search("action=template.activate"));
        assertThat(back.get("diff").asString()).contains("+We will tell you when it ships.");
    }

    @Test
    void workflowDeploysAndRollbacksCarryADiff() {
        String v1 = bpmn("audit-journey", "Audit journey");
        String v2 = bpmn("audit-journey", "Audit journey renamed");
        for (String xml : List.of(v1, v2)) {
            var r = admin.put().uri("/api/v1/workflows/audit-journey").contentType(MediaType.APPLICATION_XML).body(xml)
                    .retrieve().toEntity(String.class);
            assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(200);
        }
        JsonNode deploys = search("action=workflow.deploy");
        assertThat(deploys.get("totalElements").asLong()).isEqualTo(2);
        String diff = deploys.get("content").get(0).get("diff").asString();
        assertThat(diff).contains("+++ b/audit-journey.bpmn").contains("Audit journey renamed");
        admin.post().uri("/api/v1/workflows/audit-journey/rollback").body(map("version", 1)).retrieve().toBodilessEntity();
        JsonNode rollback = only(search("action=workflow.rollback"));
        assertThat(rollback.get("diff").asString()).contains("-").contains("Audit journey renamed");
        assertThat(rollback.get("details").get("version").asInt()).isEqualTo(1);
    }

    @Test
    void personalDataExportsAndErasuresAreLogged() {
        admin.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON)
                .body(List.of(order("a-1", "2026-01-01T00:00:00Z", customer("email", "ann@example.com"), "A-1", "9", "USD")))
                .retrieve().toBodilessEntity();
        String csv = admin.get().uri("/api/v1/customers/export?format=csv&country=DE").retrieve().body(String.class);
        assertThat(csv).startsWith("id,");
        JsonNode export = only(search("action=personal-data.export"));
        assertThat(export.get("target").asString()).isEqualTo("customers");
        assertThat(export.get("details").get("country").asString()).isEqualTo("DE");
        assertThat(export.get("details").get("format").asString()).isEqualTo("csv");

        // the data-rights feature publishes this for each erased customer
        events.publishEvent(AuditEvent.erasure("c-42", "data-subject request").by("admin"));
        assertThat(only(search("action=customer.erase")).get("target").asString()).isEqualTo("customer:c-42");
    }

    @Test
    void filtersPagingAndNoWayToChangeTheLog() {
        for (int i = 0; i < 7; i++) {
            events.publishEvent(AuditEvent.of("test.event", "thing:" + i, "event " + i).by(i % 2 == 0 ? "even" : "odd"));
        }
        assertThat(search("action=test.event").get("totalElements").asLong()).isEqualTo(7);
        assertThat(search("action=test.event&actor=even").get("totalElements").asLong()).isEqualTo(4);
        JsonNode page = search("action=test.event&size=3&page=2");
        assertThat(page.get("content")).hasSize(1);
        assertThat(page.get("totalPages").asInt()).isEqualTo(3);
        JsonNode first = search("action=test.event&size=3&page=0");
        assertThat(first.get("content").get(0).get("target").asString()).isEqualTo("thing:6"); // newest first
        String future = Instant.now().plusSeconds(3600).toString();
        assertThat(search("action=test.event&from=" + future).get("totalElements").asLong()).isZero();
        assertThat(search("action=test.event&to=" + future).get("totalElements").asLong()).isEqualTo(7);
        assertThat(status(admin, "/api/v1/audit?size=0")).isEqualTo(400);

        Document any = store.mongo().getCollection("audit_log").find().first();
        String id = any.getString("_id");
        for (HttpMethod m : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH)) {
            for (String path : List.of("/api/v1/audit", "/api/v1/audit/" + id)) {
                int s = admin.method(m).uri(path).contentType(MediaType.APPLICATION_JSON).body("{}").retrieve()
                        .toBodilessEntity().getStatusCode().value();
                assertThat(s).as(m + " " + path).isIn(404, 405);
            }
        }
        assertThat(store.mongo().getCollection("audit_log").countDocuments(new Document("_id", id))).isEqualTo(1);
    }

    private JsonNode search(String query) {
        JsonNode page = admin.get().uri("/api/v1/audit?" + query).retrieve().body(JsonNode.class);
        assertThat(page.has("content")).as(page.toString()).isTrue();
        return page;
    }

    private static JsonNode only(JsonNode page) {
        assertThat(page.get("content")).as(page.toString()).hasSize(1);
        return page.get("content").get(0);
    }

    private static int status(RestClient client, String path) {
        return client.get().uri(path).retrieve().toBodilessEntity().getStatusCode().value();
    }

    static String bpmn(String id, String name) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn2:definitions xmlns:bpmn2="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:drools="http://www.jboss.org/drools"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d-%1$s" targetNamespace="https://caravan.dev/test">
                  <bpmn2:signal id="audit_trigger" name="audit_trigger"/>
                  <bpmn2:process id="%1$s" name="%2$s" isExecutable="true" processType="Private" drools:packageName="journeys">
                    <bpmn2:startEvent id="start" name="Start"><bpmn2:outgoing>f1</bpmn2:outgoing><bpmn2:signalEventDefinition signalRef="audit_trigger"/></bpmn2:startEvent>
                    <bpmn2:endEvent id="end" name="End"><bpmn2:incoming>f1</bpmn2:incoming></bpmn2:endEvent>
                    <bpmn2:sequenceFlow id="f1" sourceRef="start" targetRef="end"/>
                  </bpmn2:process>
                </bpmn2:definitions>
                """.formatted(id, name);
    }
}
