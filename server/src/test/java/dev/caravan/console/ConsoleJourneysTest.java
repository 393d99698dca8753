package dev.caravan.console;

import static dev.caravan.test.Events.customer;
import static dev.caravan.test.Events.map;
import static dev.caravan.test.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.test.CaravanTest;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import dev.caravan.workflow.JourneyBenchSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * The journeys, segments and campaigns pages against the real services: lists, the diagram with counts per step,
 * validate / deploy / rollback, instances with cancel, the holiday calendar, a customer's journeys in the 360 view,
 * segments (errors at the condition, preview, members) and campaigns (create, dry run, stats, cancel), in English and
 * Chinese, with the API's role rules.
 */
@CaravanTest
class ConsoleJourneysTest {

    static final String PASSWORD = "a-long-console-password";

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;
    @Autowired
    ApplicationContext context;

    String customerId;
    String welcomeXml;

    static String resource(String path) {
        try (InputStream in = ConsoleJourneysTest.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void setUp() {
        store.clear();
        for (String role : List.of("MARKETER", "ANALYST", "SUPPORT")) {
            String name = "journeys-" + role.toLowerCase();
            api.admin().delete().uri("/api/v1/users/" + name).retrieve().toBodilessEntity();
            api.admin().post().uri("/api/v1/users")
                    .body(map("username", name, "password", PASSWORD, "roles", List.of(role)))
                    .retrieve().toBodilessEntity();
        }
        // the store was emptied: deploy the shipped welcome journey again, as version 1
        welcomeXml = resource("workflows/welcome.bpmn");
        var put = api.admin().put().uri("/api/v1/workflows/welcome").contentType(MediaType.APPLICATION_XML).body(welcomeXml)
                .retrieve().toEntity(JsonNode.class);
        assertThat(put.getStatusCode().value()).as(String.valueOf(put.getBody())).isEqualTo(200);

        var c = customer("platform", "shopify", "buyerId", "j-1", "email", "journey@example.com",
                "name", "<b>Jo</b> Journey", "country", "DE");
        JsonNode r = api.admin().post().uri("/api/v1/events").body(List.of(
                order("jo-1", "2026-11-01T10:00:00Z", c, "J-1", "42.00", "EUR"))).retrieve().body(JsonNode.class);
        assertThat(r.get("rejected").asInt()).as(r.toString()).isZero();
        customerId = api.admin().get().uri("/api/v1/customers?q=journey@example.com").retrieve().body(JsonNode.class)
                .get("content").get(0).get("id").asString();
        JourneyBenchSupport journeys = new JourneyBenchSupport(context);
        journeys.runDue();
        if (api.admin().get().uri("/api/v1/customers/" + customerId + "/journeys").retrieve().body(JsonNode.class).isEmpty()) {
            journeys.start(customerId, "signed_up");
            journeys.runDue();
        }
    }

    ConsoleSession signedIn(String user, String password, String lang) {
        ConsoleSession s = new ConsoleSession(api.baseUrl()).language(lang);
        HttpResponse<String> r = s.login(user, password);
        assertThat(r.statusCode()).isEqualTo(302);
        s.get("/lang?l=" + lang + "&to=/");
        return s;
    }

    ConsoleSession admin() {
        return signedIn("admin", TestApi.ADMIN_PASSWORD, "en");
    }

    ConsoleSession as(String role) {
        return signedIn("journeys-" + role, PASSWORD, "en");
    }

    JsonNode journeysOfCustomer() {
        return api.admin().get().uri("/api/v1/customers/" + customerId + "/journeys").retrieve().body(JsonNode.class);
    }

    @Test
    void journeyPagesShowTheDiagramWithCountsVersionsAndInstancesInBothLanguages() {
        JsonNode running = journeysOfCustomer().get(0);
        assertThat(running.get("status").asString()).isEqualTo("ACTIVE");
        String at = running.get("currentSteps").get(0).asString();
        String instanceId = running.get("instanceId").asString();

        for (String lang : List.of("en", "zh-CN")) {
            ConsoleSession s = signedIn("admin", TestApi.ADMIN_PASSWORD, lang);
            String list = s.get("/journeys").body();
            assertThat(list).as(lang).doesNotContain("??").contains("lang=\"" + lang + "\"").contains("href=\"/journeys/welcome\"")
                    .contains(lang.equals("en") ? "Holiday calendar" : "节假日日历");
            String page = s.get("/journeys/welcome").body();
            assertThat(page).as(lang).doesNotContain("??").contains("data-bpmn-viewer=\"/journeys/welcome/bpmn?version=1\"")
                    // the overlays: the step the customer waits at, with one running
                    .contains("&quot;" + at + "&quot;:{&quot;running&quot;:1")
                    .contains(lang.equals("en") ? "Counts per step" : "各步骤人数");
            String instances = s.get("/journeys/welcome/instances").body();
            assertThat(instances).as(lang).doesNotContain("??").contains("/customers/" + customerId).contains(at);
            String customer = s.get("/customers/" + customerId).body();
            assertThat(customer).as(lang).doesNotContain("??").contains("href=\"/journeys/welcome\"").contains(at)
                    .contains("&lt;b&gt;Jo&lt;/b&gt; Journey").doesNotContain("<b>Jo</b>");
            assertThat(s.get("/journeys/holidays").body()).as(lang).doesNotContain("??").contains("id,name,date,countries,kind,template");
            assertThat(s.get("/journeys/welcome/edit").body()).as(lang).doesNotContain("??").contains("data-bpmn-modeler")
                    .contains("&quot;restricted&quot;:false");
            assertThat(s.get("/journeys/new").body()).as(lang).doesNotContain("??").contains("name=\"id\"");
        }
        HttpResponse<String> xml = admin().get("/journeys/welcome/bpmn");
        assertThat(xml.statusCode()).isEqualTo(200);
        assertThat(xml.body()).contains("<bpmn2:process id=\"welcome\"");
        assertThat(xml.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(xml.headers().firstValue("X-Content-Type-Options").orElse("")).isEqualTo("nosniff");

        // the workflow API endpoints the pages use, over HTTP
        JsonNode listed = api.admin().get().uri("/api/v1/workflows/welcome/instances/list?status=ACTIVE").retrieve().body(JsonNode.class);
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("customerId").asString()).isEqualTo(customerId);
        assertThat(listed.get(0).has("state")).isFalse();
        var refused = api.as("journeys-analyst", PASSWORD).post().uri("/api/v1/workflows/welcome/validate")
                .contentType(MediaType.APPLICATION_XML).body(welcomeXml).retrieve().toEntity(String.class);
        assertThat(refused.getStatusCode().value()).isEqualTo(403);
        var invalid = api.admin().post().uri("/api/v1/workflows/welcome/validate").contentType(MediaType.APPLICATION_XML)
                .body(welcomeXml.replace("process id=\"welcome\"", "process id=\"other\"")).retrieve().toEntity(JsonNode.class);
        assertThat(invalid.getStatusCode().value()).isEqualTo(422);
        assertThat(invalid.getBody().get("problems").toString()).contains("the process id must be the journey id");
        var badCalendar = api.admin().post().uri("/api/v1/workflows/holidays/validate").contentType(MediaType.TEXT_PLAIN)
                .body("id,name\n").retrieve().toEntity(String.class);
        assertThat(badCalendar.getStatusCode().value()).isEqualTo(400);

        // cancel the running instance from the instances page
        ConsoleSession support = as("support");
        support.get("/customers/" + customerId);
        HttpResponse<String> cancel = support.post("/journeys/instances/" + instanceId + "/cancel",
                Map.of("journey", "welcome", "customer", customerId), true);
        assertThat(cancel.statusCode()).isEqualTo(302);
        assertThat(cancel.headers().firstValue("Location").orElse("")).endsWith("/customers/" + customerId);
        assertThat(journeysOfCustomer().get(0).get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void aMarketerValidatesDeploysAndRollsBackWithinThePalette() {
        ConsoleSession marketer = as("marketer");
        String edit = marketer.get("/journeys/welcome/edit").body();
        assertThat(edit).contains("&quot;restricted&quot;:true").contains("SendMessage").contains("WaitUntilLocalTime");

        // a script task is outside the palette: listed with its element
        String scripted = welcomeXml.replace("<bpmn2:task id=\"ab\" name=\"A/B split welcome\" drools:taskName=\"ABSplit\">",
                "<bpmn2:scriptTask id=\"ab\" name=\"A/B split welcome\" scriptFormat=\"http://www.java.com/java\"><bpmn2:script>System.exit(0);</bpmn2:script>")
                .replaceFirst("(?s)(<bpmn2:scriptTask id=\"ab\".*?)</bpmn2:task>", "$1</bpmn2:scriptTask>");
        assertThat(scripted).contains("scriptTask");
        String invalid = marketer.post("/journeys/validate", Map.of("id", "welcome", "bpmn", scripted), true).body();
        assertThat(invalid).contains("id=\"journey-problems\"").contains("<code>ab</code>");
        String deployRefused = marketer.post("/journeys/deploy", Map.of("id", "welcome", "bpmn", scripted), true).body();
        assertThat(deployRefused).contains("id=\"journey-problems\"");

        String renamed = welcomeXml.replace("name=\"Welcome series\"", "name=\"Welcome series (console)\"");
        String valid = marketer.post("/journeys/validate", Map.of("id", "welcome", "bpmn", renamed), true).body();
        assertThat(valid).contains("id=\"journey-valid\"").contains("send_welcome_a");
        String deployed = marketer.post("/journeys/deploy", Map.of("id", "welcome", "bpmn", renamed), true).body();
        assertThat(deployed).contains("id=\"journey-deployed\"").contains("version 2 is current");
        String page = marketer.get("/journeys/welcome").body();
        assertThat(page).contains("Welcome series (console)").contains("Make current");

        HttpResponse<String> rollback = marketer.post("/journeys/welcome/rollback", Map.of("version", "1"), true);
        assertThat(rollback.statusCode()).isEqualTo(302);
        assertThat(marketer.get("/journeys/welcome").body()).contains("Version 1 is current again")
                .contains("Version 1 (current: 1)");

        // a new journey: the id in the form must be the process id
        String fresh = JourneysPages.NEW_JOURNEY.replace("name=\"ID\"", "name=\"&lt;b&gt;New&lt;/b&gt;\"")
                .replace("\"ID\"", "\"console-new\"").replace("ID-", "console-new-");
        assertThat(marketer.post("/journeys/deploy", Map.of("id", "console-new", "bpmn", fresh), true).body())
                .contains("id=\"journey-deployed\"");
        assertThat(marketer.get("/journeys").body()).contains("href=\"/journeys/console-new\"")
                .contains("&lt;b&gt;New&lt;/b&gt;").doesNotContain("<b>New</b>");

        // the holiday calendar: errors named, then saved
        String holidays = marketer.get("/journeys/holidays").body();
        assertThat(holidays).contains("holiday-csv");
        String bad = "id,name,date,countries,kind,template\nxmas,Christmas,--12-25,*,party,xmas\n";
        assertThat(marketer.post("/journeys/holidays/validate", Map.of("csv", bad), true).body())
                .contains("id=\"holiday-error\"").contains("kind must be public, commercial or religious");
        String good = "id,name,date,countries,kind,template\nxmas,Christmas,--12-25,*,public,xmas\n";
        assertThat(marketer.post("/journeys/holidays/validate", Map.of("csv", good), true).body()).contains("id=\"holiday-valid\"");
        HttpResponse<String> saved = marketer.post("/journeys/holidays", Map.of("csv", good), true);
        assertThat(saved.statusCode()).isEqualTo(302);
        assertThat(marketer.get("/journeys/holidays").body()).contains("Holiday calendar saved: 1 holidays")
                .contains("xmas,Christmas,--12-25");
        // restore the packaged calendar for other tests
        api.admin().put().uri("/api/v1/workflows/holidays").contentType(MediaType.parseMediaType("text/csv"))
                .body(resource("workflows/holidays.csv")).retrieve().toBodilessEntity();
    }

    @Test
    void rolesDecideWhatTheJourneyPagesShowAndAllow() {
        ConsoleSession analyst = as("analyst");
        assertThat(analyst.get("/journeys").body()).contains("href=\"/journeys/welcome\"").doesNotContain("/journeys/new");
        assertThat(analyst.get("/journeys/welcome").body()).doesNotContain("Edit in the modeler").doesNotContain("Make current");
        assertThat(analyst.post("/journeys/deploy", Map.of("id", "welcome", "bpmn", welcomeXml), true).statusCode()).isEqualTo(403);
        assertThat(analyst.post("/journeys/holidays", Map.of("csv", "id,name,date,countries,kind,template\n"), true).statusCode())
                .isEqualTo(403);
        assertThat(analyst.get("/journeys/welcome/instances").body()).doesNotContain("/cancel\"");

        ConsoleSession support = as("support");
        assertThat(support.get("/journeys").body()).contains("Not available for your role");
        assertThat(support.get("/journeys/welcome").statusCode()).isEqualTo(403);
        assertThat(support.get("/journeys/welcome/instances").statusCode()).isEqualTo(200); // the API lets SUPPORT see instances
        assertThat(support.get("/customers/" + customerId).body()).contains("href=\"/journeys/welcome\"");
        assertThat(support.get("/segments").statusCode()).isEqualTo(200);
        assertThat(support.get("/segments").body()).contains("Not available for your role");
        assertThat(support.get("/campaigns").body()).contains("Not available for your role");
    }

    @Test
    void segmentsAndCampaignsFromConditionToDryRunAndStats() {
        ConsoleSession marketer = as("marketer");
        assertThat(marketer.get("/segments/new").body()).contains("field-catalog").contains("data-add-leaf");
        // not JSON, then an unknown field: errors shown with the form kept
        String notJson = marketer.post("/segments", Map.of("name", "x", "condition", "{all: ["), true).body();
        assertThat(notJson).contains("id=\"segment-problem\"").contains("aria-invalid=\"true\"").contains("{all: [");
        String unknown = marketer.post("/segments", Map.of("name", "x",
                "condition", "{\"field\": \"shoeSize\", \"op\": \"eq\", \"value\": 42}"), true).body();
        assertThat(unknown).contains("id=\"segment-problem\"").contains("shoeSize");

        String condition = "{\"all\": [{\"field\": \"orders\", \"op\": \"gte\", \"value\": 1}]}";
        String preview = marketer.post("/segments/preview", Map.of("condition", condition), true).body();
        assertThat(preview).contains("id=\"preview-result\"").contains("1 of 1 customers match").contains("/customers/" + customerId);

        HttpResponse<String> created = marketer.post("/segments", Map.of("name", "<i>Buyers</i>", "description", "ordered once",
                "condition", condition), true);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
        String location = created.headers().firstValue("Location").orElseThrow();
        String segmentId = location.substring(location.lastIndexOf('/') + 1);
        String page = marketer.get("/segments/" + segmentId).body();
        assertThat(page).contains("&lt;i&gt;Buyers&lt;/i&gt;").doesNotContain("<i>Buyers</i>").contains("Members");
        assertThat(marketer.post("/segments/" + segmentId + "/count", Map.of(), true).body()).contains("1 of 1 customers match now");
        assertThat(marketer.get("/segments").body()).contains("/segments/" + segmentId);

        // a campaign to the segment: dry run of the form, create, stats, cancel
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", "Console campaign");
        form.put("segmentId", segmentId);
        form.put("template", "birthday");
        form.put("channels", "email");
        form.put("scheduleType", "now");
        form.put("metric", "click");
        marketer.get("/campaigns/new");
        String dry = marketer.post("/campaigns/dry-run", form, true).body();
        assertThat(dry).contains("id=\"dry-run-result\"").contains("1 customers in the segment");
        HttpResponse<String> made = marketer.post("/campaigns", form, true);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(302);
        String campaignPath = made.headers().firstValue("Location").orElseThrow().replaceFirst("^https?://[^/]+", "");
        String campaign = marketer.get(campaignPath).body();
        assertThat(campaign).contains("Console campaign").contains("id=\"campaign-stats\"").contains("Launch").contains("Draft");
        assertThat(marketer.post(campaignPath + "/dry-run", Map.of(), true).body()).contains("id=\"dry-run-result\"");
        HttpResponse<String> cancelled = marketer.post(campaignPath + "/cancel", Map.of(), true);
        assertThat(cancelled.statusCode()).isEqualTo(302);
        assertThat(marketer.get(campaignPath).body()).contains("The campaign is now: Cancelled");
        assertThat(marketer.get("/campaigns").body()).contains("Console campaign");

        // launch one scheduled for later, with a coupon per recipient and a throttle; pause and resume it
        api.admin().post().uri("/api/v1/coupons").body(Map.of("id", "console-5", "name", "Console five", "kind", "fixed",
                "value", "5", "currency", "USD", "validDays", 30)).retrieve().toBodilessEntity();
        assertThat(marketer.get("/campaigns/new").body()).contains("value=\"console-5\"").contains("Console five");
        form.put("name", "Console later");
        form.put("scheduleType", "at");
        form.put("at", "2030-01-01T09:00:00Z");
        form.put("couponDefinitionId", "console-5");
        form.put("perHour", "fast");
        assertThat(marketer.post("/campaigns", form, true).body()).contains("id=\"campaign-problem\"")
                .contains("sends per hour: a whole number, not &#39;fast&#39;");
        form.put("perHour", "120");
        marketer.get("/campaigns/new");
        String later = marketer.post("/campaigns", form, true).headers().firstValue("Location").orElseThrow()
                .replaceFirst("^https?://[^/]+", "");
        String laterPage = marketer.get(later).body();
        assertThat(laterPage).contains("console-5").contains("120");
        JsonNode stored = api.admin().get().uri("/api/v1/campaigns/" + later.substring(later.lastIndexOf('/') + 1))
                .retrieve().body(JsonNode.class);
        assertThat(stored.get("couponDefinitionId").asString()).isEqualTo("console-5");
        assertThat(stored.get("perHour").asInt()).isEqualTo(120);
        assertThat(marketer.post(later + "/launch", Map.of(), true).statusCode()).isEqualTo(302);
        String laterId = later.substring(later.lastIndexOf('/') + 1);
        api.awaitJson(api.admin(), "/api/v1/campaigns/" + laterId, j -> !"launching".equals(j.get("status").asString()),
                java.time.Duration.ofSeconds(30));
        marketer.get(later);
        assertThat(marketer.post(later + "/pause", Map.of(), true).statusCode()).isEqualTo(302);
        assertThat(marketer.get(later).body()).contains("The campaign is now: Paused").contains("/resume\"");
        assertThat(marketer.post(later + "/resume", Map.of(), true).statusCode()).isEqualTo(302);
        assertThat(marketer.get(later).body()).doesNotContain("Paused").contains("/pause\"");

        // both languages
        for (String lang : List.of("en", "zh-CN")) {
            ConsoleSession s = signedIn("admin", TestApi.ADMIN_PASSWORD, lang);
            for (String p : List.of("/segments", "/segments/new", "/segments/" + segmentId, "/campaigns", "/campaigns/new", campaignPath)) {
                HttpResponse<String> r = s.get(p);
                assertThat(r.statusCode()).as(lang + " " + p).isEqualTo(200);
                assertThat(r.body()).as(lang + " " + p).doesNotContain("??").contains("lang=\"" + lang + "\"");
            }
        }

        // an analyst reads but does not change
        ConsoleSession analyst = as("analyst");
        assertThat(analyst.get("/segments/" + segmentId).body()).doesNotContain(">Save<").doesNotContain("Re-evaluate members");
        assertThat(analyst.post("/segments/" + segmentId, Map.of("name", "y", "condition", condition), true).statusCode()).isEqualTo(403);
        assertThat(analyst.get("/campaigns").body()).doesNotContain("/campaigns/new");
        assertThat(analyst.post("/campaigns", form, true).statusCode()).isEqualTo(403);
    }
}
