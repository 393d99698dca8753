package dev.caravan.workflow;

import static dev.caravan.test.Events.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.caravan.order.PurchaseHistories;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** Durability, versions, validation and security of the journey engine. */
@JourneyTest
@Import(JourneyFixture.class)
class JourneyEngineTest {

    @Autowired
    JourneyFixture f;
    @Autowired
    WorkflowProperties props;
    @Autowired
    CouponIssuer coupons;
    @Autowired
    PurchaseHistories histories;
    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    HolidayCalendars calendars;
    @Autowired
    dev.caravan.campaign.JourneyParticipation participation;

    @BeforeEach
    void reset() {
        f.reset();
    }

    /** A second engine on the same store, as another server (or the same server after a restart) would have. */
    JourneyRuntime otherServer() {
        return new JourneyRuntime(f.store.mongo(), f.clock, props, f.messenger, coupons, histories, events, calendars::current);
    }

    private String deploy(RestClient client, String id, String xml, int expectedStatus) {
        var r = client.put().uri("/api/v1/workflows/" + id).contentType(MediaType.APPLICATION_XML).body(xml)
                .retrieve().toEntity(String.class);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(expectedStatus);
        return r.getBody();
    }

    private List<String> customers(String prefix, int n) {
        List<Map<String, Object>> evs = new ArrayList<>();
        for (int i = 0; i < n; i++) evs.add(f.event("page_viewed", JourneyFixture.customer(prefix + i + "@example.com"), map("url", "/")));
        f.post(evs.toArray(Map[]::new));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) ids.add(f.customerId(prefix + i + "@example.com"));
        return ids;
    }

    private void trigger(JourneyRuntime runtime, String customerId, String type) {
        runtime.enqueue(new JourneyTrigger(null, customerId, type, Map.of(), f.clock.instant(), true));
    }

    @Test
    void campaignsSeeWhoIsInARunningJourney() {
        deploy(f.api.admin(), "participation", TestBpmn.timerThenSend("participation", "test_participation", "PT1H", "later"), 200);
        List<String> ids = customers("pa", 2);
        trigger(f.runtime, ids.get(0), "test_participation");
        f.runtime.runDue();
        assertThat(participation.inJourney(ids)).containsExactly(ids.get(0));
        f.clock.advance(Duration.ofHours(2));
        f.runtime.runDue();
        assertThat(participation.inJourney(ids)).isEmpty(); // the journey ended: its slot is free
    }

    @Test
    void enteringASegmentStartsAJourneyOnlyWhenLive() {
        deploy(f.api.admin(), "segment-entry", TestBpmn.timerThenSend("segment-entry", "segment_entered", "PT1H", "on-entry"), 200);
        List<String> ids = customers("se", 2);
        // the segments feature's event, as its membership worker publishes it
        events.publishEvent(new dev.caravan.segment.SegmentEntered(ids.get(0), "seg_vip", f.clock.instant(), true));
        events.publishEvent(new dev.caravan.segment.SegmentEntered(ids.get(1), "seg_vip", f.clock.instant(), false));
        f.runtime.runDue();
        f.clock.advance(Duration.ofHours(2));
        f.runtime.runDue();
        assertThat(f.messenger.templatesFor(ids.get(0))).containsExactly("on-entry");
        assertThat(f.messenger.templatesFor(ids.get(1))).isEmpty();
    }

    @Test
    void restartFiresEveryDueTimerAndWaitExactlyOnce() {
        deploy(f.api.admin(), "restart-timer", TestBpmn.timerThenSend("restart-timer", "test_restart", "PT2H", "after-timer"), 200);
        deploy(f.api.admin(), "restart-wait", TestBpmn.waitThenSend("restart-wait", "test_restart", "PT3H", "after-wait", ""), 200);
        List<String> ids = customers("rs", 5);
        ids.forEach(id -> trigger(f.runtime, id, "test_restart"));
        f.runtime.runDue();
        assertThat(f.runtime.work.count(WorkStore.TIMER)).isEqualTo(5);
        assertThat(f.runtime.work.count(WorkStore.WAIT)).isEqualTo(5);
        // "kill" this server: its engine is never used again; time passes while it is down
        f.clock.advance(Duration.ofHours(5));
        JourneyRuntime restarted = otherServer();
        try {
            restarted.refreshHeads();
            assertThat(restarted.runDue()).isEqualTo(10);
            assertThat(restarted.runDue()).isZero();
            assertThat(f.runtime.runDue()).isZero();
        } finally {
            restarted.close();
        }
        for (String id : ids) {
            assertThat(f.messenger.templatesFor(id)).containsExactlyInAnyOrder("after-timer", "after-wait");
            for (Document d : f.instances(id)) {
                assertThat(d.getString("status")).isEqualTo("COMPLETED");
                assertThat(JourneyFixture.stepIds(d)).containsOnlyOnce("send");
            }
        }
        assertThat(f.store.mongo().getCollection(WorkStore.COLLECTION).countDocuments()).isZero();
    }

    @Test
    void twoEnginesOnOneStoreNeverFireTheSameTimerTwice() throws Exception {
        deploy(f.api.admin(), "two-engines", TestBpmn.timerThenSend("two-engines", "test_two", "PT1H", "once"), 200);
        List<String> ids = customers("te", 40);
        ids.forEach(id -> trigger(f.runtime, id, "test_two"));
        f.runtime.runDue();
        f.clock.advance(Duration.ofHours(2));
        JourneyRuntime other = otherServer();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            other.refreshHeads();
            Document timers = new Document("kind", WorkStore.TIMER);
            assertThat(f.store.mongo().getCollection(WorkStore.COLLECTION).countDocuments(timers)).isEqualTo(40);
            List<Future<Integer>> runs = pool.invokeAll(List.<Callable<Integer>>of(f.runtime::runDue, other::runDue));
            for (Future<Integer> run : runs) run.get();
            // the two servers shared the 40 timers (other work, e.g. profile-change triggers, may run alongside)
            assertThat(f.store.mongo().getCollection(WorkStore.COLLECTION).countDocuments(timers)).isZero();
            List<String> sends = f.messenger.sent().stream().filter(m -> m.template().equals("once"))
                    .map(m -> m.customerId()).toList();
            assertThat(sends).hasSize(40).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        } finally {
            pool.shutdown();
            other.close();
        }
        for (String id : ids) {
            Document d = f.instance(id, "two-engines");
            assertThat(d.getString("status")).isEqualTo("COMPLETED");
            assertThat(JourneyFixture.stepIds(d)).containsOnlyOnce("send");
        }
    }

    @Test
    void runningInstancesFinishOnTheirVersionAndRollbackWorks() {
        deploy(f.api.admin(), "upgrade", TestBpmn.waitThenSend("upgrade", "test_upgrade", "P1D", "v1-message", "1"), 200);
        List<String> ids = customers("up", 3);
        trigger(f.runtime, ids.get(0), "test_upgrade");
        f.runtime.runDue();
        String body = deploy(f.api.as("admin", dev.caravan.test.TestApi.ADMIN_PASSWORD), "upgrade",
                TestBpmn.waitThenSend("upgrade", "test_upgrade", "P1D", "v2-message", "2"), 200);
        assertThat(body).contains("\"currentVersion\":2");
        trigger(f.runtime, ids.get(1), "test_upgrade");
        f.runtime.runDue();
        JsonNode counts = f.api.admin().get().uri("/api/v1/workflows/upgrade/instances").retrieve().body(JsonNode.class);
        assertThat(counts.get("runningByVersion").get("v1").asInt()).isEqualTo(1);
        assertThat(counts.get("runningByVersion").get("v2").asInt()).isEqualTo(1);
        assertThat(counts.get("runningByStep").get("wait1").asInt()).isEqualTo(1);
        String v1 = f.api.admin().get().uri("/api/v1/workflows/upgrade/bpmn?version=1").retrieve().body(String.class);
        assertThat(v1).contains("v1-message").doesNotContain("v2-message");
        f.travel(Duration.ofDays(2), Duration.ofHours(12));
        assertThat(f.messenger.templatesFor(ids.get(0))).containsExactly("v1-message");
        assertThat(f.messenger.templatesFor(ids.get(1))).containsExactly("v2-message");

        JsonNode rolled = f.api.admin().post().uri("/api/v1/workflows/upgrade/rollback").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("version", 1)).retrieve().body(JsonNode.class);
        assertThat(rolled.get("currentVersion").asInt()).isEqualTo(1);
        assertThat(rolled.get("latestVersion").asInt()).isEqualTo(2);
        trigger(f.runtime, ids.get(2), "test_upgrade");
        f.travel(Duration.ofDays(2), Duration.ofHours(12));
        assertThat(f.messenger.templatesFor(ids.get(2))).containsExactly("v1-message");
    }

    @Test
    void invalidBpmnIsRefusedWith422AndTheOldVersionKeepsRunning() {
        deploy(f.api.admin(), "invalid-test", TestBpmn.waitThenSend("invalid-test", "test_invalid", "PT1H", "ok", ""), 200);
        String broken = TestBpmn.waitThenSend("invalid-test", "test_invalid", "PT1H", "ok", "").replace("</bpmn2:process>", "");
        JsonNode problem = f.api.admin().put().uri("/api/v1/workflows/invalid-test").contentType(MediaType.APPLICATION_XML)
                .body(broken).retrieve().body(JsonNode.class);
        assertThat(problem.get("status").asInt()).isEqualTo(422);
        assertThat(problem.get("detail").asString()).contains("not well-formed");
        assertThat(problem.get("problems").get(0).get("line").asInt()).isPositive();

        String dangling = TestBpmn.waitThenSend("invalid-test", "test_invalid", "PT1H", "ok", "")
                .replace("targetRef=\"end\"", "targetRef=\"nowhere\"");
        problem = f.api.admin().put().uri("/api/v1/workflows/invalid-test").contentType(MediaType.APPLICATION_XML)
                .body(dangling).retrieve().body(JsonNode.class);
        assertThat(problem.get("status").asInt()).isEqualTo(422);
        assertThat(problem.toString()).contains("nowhere");

        String unknownStep = TestBpmn.waitThenSend("invalid-test", "test_invalid", "PT1H", "ok", "")
                .replace("drools:taskName=\"SendMessage\"", "drools:taskName=\"Rest\"");
        problem = f.api.admin().put().uri("/api/v1/workflows/invalid-test").contentType(MediaType.APPLICATION_XML)
                .body(unknownStep).retrieve().body(JsonNode.class);
        assertThat(problem.get("status").asInt()).isEqualTo(422);
        assertThat(problem.get("problems").get(0).get("element").asString()).isEqualTo("send");
        assertThat(problem.get("problems").get(0).get("line").asInt()).isPositive();

        JsonNode journey = f.api.admin().get().uri("/api/v1/workflows/invalid-test").retrieve().body(JsonNode.class);
        assertThat(journey.get("currentVersion").asInt()).isEqualTo(1);
        assertThat(journey.get("versions").size()).isEqualTo(1);
    }

    @Test
    void adminsMayDeployJavaScriptTasksAndTheyRun() {
        String xml = TestBpmn.head("admin-script", "test_admin_script")
                + "<bpmn2:scriptTask id=\"script\" name=\"Script\" scriptFormat=\"http://www.java.com/java\"><bpmn2:incoming>f1</bpmn2:incoming>"
                + "<bpmn2:outgoing>f2</bpmn2:outgoing><bpmn2:script>kcontext.setVariable(\"tier\", \"scripted-\" + kcontext.getVariable(\"customerId\").toString().length());</bpmn2:script></bpmn2:scriptTask>\n"
                + TestBpmn.task("send", "SendMessage", "f2", "f3", "channel", "email", "template", "after-script")
                + TestBpmn.end("f3") + TestBpmn.flow("f1", "start", "script") + TestBpmn.flow("f2", "script", "send")
                + TestBpmn.flow("f3", "send", "end") + TestBpmn.tail();
        deploy(f.api.admin(), "admin-script", xml, 200);
        String id = customers("as", 1).get(0);
        trigger(f.runtime, id, "test_admin_script");
        f.runtime.runDue();
        assertThat(f.messenger.templatesFor(id)).containsExactly("after-script");
        assertThat(f.instance(id, "admin-script").getString("status")).isEqualTo("COMPLETED");

        // a Java gateway condition (ADMIN only): routes on what the script computed
        String cond = TestBpmn.head("admin-cond", "test_admin_cond")
                + "<bpmn2:exclusiveGateway id=\"gw\" gatewayDirection=\"Diverging\" default=\"f3\"><bpmn2:incoming>f1</bpmn2:incoming>"
                + "<bpmn2:outgoing>f2</bpmn2:outgoing><bpmn2:outgoing>f3</bpmn2:outgoing></bpmn2:exclusiveGateway>"
                + TestBpmn.task("yes", "SendMessage", "f2", "f4", "channel", "email", "template", "java-yes")
                + TestBpmn.task("no", "SendMessage", "f3", "f5", "channel", "email", "template", "java-no")
                + "<bpmn2:endEvent id=\"end\"><bpmn2:incoming>f4</bpmn2:incoming></bpmn2:endEvent>"
                + "<bpmn2:endEvent id=\"end2\"><bpmn2:incoming>f5</bpmn2:incoming></bpmn2:endEvent>"
                + TestBpmn.flow("f1", "start", "gw") + TestBpmn.flow("f3", "gw", "no")
                + "<bpmn2:sequenceFlow id=\"f2\" sourceRef=\"gw\" targetRef=\"yes\"><bpmn2:conditionExpression xsi:type=\"bpmn2:tFormalExpression\" "
                + "language=\"http://www.java.com/java\">return customerId != null &amp;&amp; customerId.length() &gt; 3;</bpmn2:conditionExpression></bpmn2:sequenceFlow>"
                + TestBpmn.flow("f4", "yes", "end") + TestBpmn.flow("f5", "no", "end2") + TestBpmn.tail();
        deploy(f.api.admin(), "admin-cond", cond, 200);
        trigger(f.runtime, id, "test_admin_cond");
        f.runtime.runDue();
        assertThat(f.messenger.templatesFor(id)).containsExactly("after-script", "java-yes");
    }

    @Test
    void marketersMayOnlyUseThePalette() {
        f.api.admin().post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .body(map("username", "marketer", "password", "a-long-test-password", "roles", List.of("MARKETER")))
                .retrieve().toBodilessEntity();
        RestClient marketer = f.api.as("marketer", "a-long-test-password");
        JsonNode problem = marketer.put().uri("/api/v1/workflows/scripted").contentType(MediaType.APPLICATION_XML)
                .body(TestBpmn.withScriptTask("scripted", "test_script")).retrieve().body(JsonNode.class);
        assertThat(problem.get("status").asInt()).isEqualTo(422);
        assertThat(problem.get("detail").asString()).contains("scriptTask").contains("needs ADMIN");
        assertThat(f.api.admin().get().uri("/api/v1/workflows/scripted").retrieve().toBodilessEntity().getStatusCode().value())
                .isEqualTo(404);

        String condition = TestBpmn.head("cond", "test_cond")
                + "<bpmn2:exclusiveGateway id=\"gw\" gatewayDirection=\"Diverging\" default=\"f3\"><bpmn2:incoming>f1</bpmn2:incoming>"
                + "<bpmn2:outgoing>f2</bpmn2:outgoing><bpmn2:outgoing>f3</bpmn2:outgoing></bpmn2:exclusiveGateway>"
                + "<bpmn2:endEvent id=\"end\"><bpmn2:incoming>f2</bpmn2:incoming></bpmn2:endEvent>"
                + "<bpmn2:endEvent id=\"end2\"><bpmn2:incoming>f3</bpmn2:incoming></bpmn2:endEvent>"
                + TestBpmn.flow("f1", "start", "gw") + TestBpmn.flow("f3", "gw", "end2")
                + "<bpmn2:sequenceFlow id=\"f2\" sourceRef=\"gw\" targetRef=\"end\"><bpmn2:conditionExpression xsi:type=\"bpmn2:tFormalExpression\" "
                + "language=\"http://www.java.com/java\">return java.lang.Runtime.getRuntime() != null;</bpmn2:conditionExpression></bpmn2:sequenceFlow>"
                + TestBpmn.tail();
        problem = marketer.put().uri("/api/v1/workflows/cond").contentType(MediaType.APPLICATION_XML).body(condition)
                .retrieve().body(JsonNode.class);
        assertThat(problem.get("status").asInt()).isEqualTo(422);
        assertThat(problem.get("detail").asString()).contains("not a simple comparison");

        String simple = condition.replace("return java.lang.Runtime.getRuntime() != null;", "tier == &quot;core&quot;");
        deploy(marketer, "cond", simple, 200);
        assertThat(f.api.as("marketer", "a-long-test-password").get().uri("/api/v1/workflows").retrieve()
                .toBodilessEntity().getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void customerJourneysTraceCancelAndMerge() {
        var a = JourneyFixture.customer("t1@example.com", "phone", "+4915112345678");
        f.post(f.event("added_to_cart", a, map("sku", "S1", "quantity", 1)));
        String id = f.customerId("t1@example.com");
        f.messenger.blockMarketing.add(id);
        f.travel(Duration.ofHours(2), Duration.ofMinutes(30));
        JsonNode trace = f.api.admin().get().uri("/api/v1/customers/" + id + "/journeys/trace?template=abandoned_cart")
                .retrieve().body(JsonNode.class);
        assertThat(trace.get("decisions").get(0).get("sent").asBoolean()).isFalse();
        assertThat(trace.get("decisions").get(0).get("rule").asString()).isEqualTo("consent");
        assertThat(trace.get("explanation").get(0).asString()).contains("abandoned-cart").contains("no marketing consent");

        JsonNode journeys = f.api.admin().get().uri("/api/v1/customers/" + id + "/journeys").retrieve().body(JsonNode.class);
        assertThat(journeys.get(0).get("journeyId").asString()).isEqualTo("abandoned-cart");
        assertThat(journeys.get(0).get("steps").size()).isGreaterThanOrEqualTo(3);
        JsonNode view = f.api.admin().get().uri("/api/v1/customers/" + id).retrieve().body(JsonNode.class);
        assertThat(view.get("journeys").get("running").size()).isEqualTo(1);
        JsonNode timeline = f.api.admin().get().uri("/api/v1/customers/" + id + "/timeline").retrieve().body(JsonNode.class);
        assertThat(timeline.toString()).contains("Entered journey abandoned-cart");

        // merge: a second profile with its own cart journey is absorbed; one cart journey survives
        var b = JourneyFixture.customer("t2@example.com");
        f.post(f.event("added_to_cart", b, map("sku", "S2", "quantity", 1)));
        String other = f.customerId("t2@example.com");
        f.api.admin().post().uri("/api/v1/customers/" + id + "/merge").contentType(MediaType.APPLICATION_JSON)
                .body(map("otherId", other)).retrieve().toBodilessEntity();
        List<Document> mine = f.instances(id);
        assertThat(mine.stream().filter(d -> "ACTIVE".equals(d.getString("status")) && "abandoned-cart".equals(d.getString("journeyId"))))
                .hasSize(1);
        assertThat(mine.stream().filter(d -> "CANCELLED".equals(d.getString("status")))).hasSize(1);

        String instanceId = f.instance(id, "abandoned-cart").getString("_id");
        String running = mine.stream().filter(d -> "ACTIVE".equals(d.getString("status"))).findFirst().orElseThrow().getString("_id");
        var cancelled = f.api.admin().delete().uri("/api/v1/workflows/instances/" + running).retrieve().toEntity(JsonNode.class);
        assertThat(cancelled.getStatusCode().value()).isEqualTo(200);
        assertThat(cancelled.getBody().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(f.api.admin().delete().uri("/api/v1/workflows/instances/" + running).retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(404);
        assertThat(instanceId).isNotBlank();
        assertThat(f.store.mongo().getCollection(WorkStore.COLLECTION).countDocuments(new Document("instanceId", running))).isZero();
    }

    @Test
    void dryRunSimulatesWithoutSendingOrStoring() {
        var consenting = JourneyFixture.customer("d1@example.com");
        var silent = JourneyFixture.customer("d2@example.com", "consents", map("email", false));
        f.post(f.event("page_viewed", consenting, map("url", "/")), f.event("page_viewed", silent, map("url", "/")));
        long instancesBefore = f.store.mongo().getCollection(InstanceStore.COLLECTION).countDocuments();
        JsonNode r = f.api.admin().post().uri("/api/v1/workflows/win-back/dry-run?days=30&samples=2").retrieve().body(JsonNode.class);
        assertThat(r.get("entered").asInt()).isEqualTo(2);
        assertThat(r.get("reachedByStep").get("send_winback").asInt()).isEqualTo(2);
        assertThat(r.get("reachedByStep").get("tag_lost").asInt()).isEqualTo(2);
        assertThat(r.get("samples").size()).isEqualTo(2);
        assertThat(r.get("messagesByChannel").get("email").asInt()).isEqualTo(4); // recording messenger allows all
        assertThat(r.get("messagesPerDay").size()).isEqualTo(2);
        assertThat(f.messenger.sent()).isEmpty();
        assertThat(f.store.mongo().getCollection(InstanceStore.COLLECTION).countDocuments()).isEqualTo(instancesBefore);
        assertThat(f.store.mongo().getCollection(WorkStore.COLLECTION).countDocuments()).isZero();

        // a candidate BPMN from the body, and a broken one
        JsonNode candidate = f.api.admin().post().uri("/api/v1/workflows/upgrade-candidate/dry-run?days=2")
                .contentType(MediaType.APPLICATION_XML)
                .body(TestBpmn.waitThenSend("upgrade-candidate", "churn_risk_detected", "P1D", "candidate", ""))
                .retrieve().body(JsonNode.class);
        assertThat(candidate.get("entered").asInt()).isEqualTo(2);
        assertThat(candidate.get("reachedByStep").get("send").asInt()).isEqualTo(2);
        JsonNode bad = f.api.admin().post().uri("/api/v1/workflows/x/dry-run").contentType(MediaType.APPLICATION_XML)
                .body("<oops").retrieve().body(JsonNode.class);
        assertThat(bad.get("status").asInt()).isEqualTo(422);
    }
}
