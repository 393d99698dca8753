package dev.caravan.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.caravan.test.CaravanTest;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The console in a real headless Chromium (Debian's chromium + chromium-driver; skipped when absent): sign in,
 * import the demo CSVs and watch the progress reach 100 %, open a customer and see tier and orders, change a
 * decision-table cell, see the dry run, activate, see the customer's level change, switch to Chinese. Screenshots
 * of the key pages at 1280 px and tablet width go to {@code target/screenshots/}.
 */
@CaravanTest
class ConsoleBrowserTest {

    static final Path SHOTS = Path.of("target/screenshots");
    static final String TABLE = "caravan/membership.drl.csv";
    static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;
    @Autowired
    org.springframework.context.ApplicationContext context;

    JsonNode originalTable;
    Browser b;

    @BeforeEach
    void setUp() {
        Browser.require();
        store.clear();
        originalTable = api.admin().get().uri("/api/v1/rules/tables/" + TABLE).retrieve().body(JsonNode.class);
    }

    @AfterEach
    void tearDown() {
        if (b != null) b.close();
        if (originalTable != null) {
            List<List<String>> rows = new ArrayList<>();
            originalTable.get("rows").forEach(r -> {
                List<String> row = new ArrayList<>();
                r.forEach(c -> row.add(c.asString()));
                rows.add(row);
            });
            api.admin().put().uri("/api/v1/rules/tables/" + TABLE)
                    .body(Map.of("rows", rows, "comment", "restored after the browser test")).retrieve().toBodilessEntity();
        }
    }

    @Test
    void aMarketerWorkflowFromImportToLevelChangeInEnglishAndChinese() throws IOException {
        b = Browser.start(api.baseUrl(), 1280, 900, "en-US");
        b.login("admin", TestApi.ADMIN_PASSWORD);
        assertThat(b.el("h1").getText()).isEqualTo("Dashboard");

        // 1. import the demo CSVs and a file of recent orders, watching each progress bar reach 100 %
        upload("customers", demoFile("marketplace-customers.csv"));
        b.screenshot(SHOTS.resolve("imports-1280.png"));
        upload("orders", demoFile("marketplace-orders.csv"));
        upload("orders", recentOrders());
        b.open("/imports");
        assertThat(b.all("table tbody tr")).hasSize(3); // the recent imports
        String lena = awaitCustomer("lena.brandt@example.com", c -> "silver".equals(c.path("level").asString(null))
                && c.path("tier").asString(null) != null);

        // 2. find the customer, open her 360 view: tier, level and orders
        b.open("/customers");
        b.el("#q").sendKeys("Lena");
        WebElement link = b.waitFor(d -> d.findElements(By.linkText("Lena Brandt")).stream().findFirst().orElse(null), WAIT);
        link.click();
        b.waitForElement("#customer-name", WAIT);
        assertThat(b.el("#customer-name").getText()).isEqualTo("Lena Brandt");
        assertThat(b.all(".badges .badge-tier")).hasSize(1);
        assertThat(b.el(".badges .badge-level").getText()).isEqualTo("Silver");
        assertThat(b.all("#orders tbody tr")).hasSize(3);
        assertThat(b.el("#rule-level").getText()).contains("membership.drl.csv");
        assertThat(b.el("#orders tbody tr .customer-time").getText()).contains("Europe/Berlin");
        b.screenshot(SHOTS.resolve("customer-1280.png"));

        // 3. the decision table: lower the gold row to what Lena has, dry-run, activate
        b.open("/rules");
        b.driver.findElement(By.linkText(TABLE)).click();
        WebElement goldRow = b.waitFor(d -> d.findElements(By.cssSelector("#grid-body tr")).stream()
                .filter(r -> r.findElements(By.cssSelector("input")).get(2).getAttribute("value").equals("gold"))
                .findFirst().orElse(null), WAIT);
        List<WebElement> cells = goldRow.findElements(By.cssSelector("input"));
        cells.get(0).clear();
        cells.get(0).sendKeys("400");
        cells.get(1).clear();
        cells.get(1).sendKeys("3");
        b.el("#dry-run").click();
        WebElement transitions = b.waitForElement("#transitions", WAIT);
        assertThat(transitions.getText()).contains("Level").contains("Silver").contains("Gold");
        assertThat(b.el("#table-result").getText()).contains("all").contains("scenario tests pass");
        b.screenshot(SHOTS.resolve("rules-dry-run-1280.png"));
        b.el("#activate").click();
        b.waitFor(d -> d.getCurrentUrl().endsWith("/rules"), WAIT);
        assertThat(b.el("#alerts").getText()).contains("is active");
        b.waitFor(d -> d.findElements(By.cssSelector("#evaluation .badge-SUCCEEDED")).size() == 1, WAIT);
        awaitCustomer("lena.brandt@example.com", c -> "gold".equals(c.path("level").asString(null)));

        // 4. the customer's level changed, and the rule that set it is shown
        b.open("/customers/" + lena);
        assertThat(b.el(".badges .badge-level").getText()).isEqualTo("Gold");
        assertThat(b.el("#rule-level").getText()).contains("Membership_");

        // 5. untrusted names render as text and run nothing
        String mallory = awaitCustomer("mallory@example.com", c -> true);
        b.open("/customers/" + mallory);
        assertThat(b.el("#customer-name").getText()).isEqualTo("<script>window.caravanXss=1</script>Mallory");
        assertThat(b.js("return window.caravanXss === undefined")).isEqualTo(true);

        // 6. Chinese
        b.open("/");
        b.el("a[hreflang='zh-CN']").click();
        b.waitFor(d -> "zh-CN".equals(d.findElement(By.tagName("html")).getAttribute("lang")), WAIT);
        assertThat(b.el("h1").getText()).isEqualTo("总览");
        assertThat(b.el(".sidenav").getText()).contains("客户").contains("规则").contains("分析");
        b.screenshot(SHOTS.resolve("dashboard-zh-1280.png"));
        b.open("/customers/" + lena);
        assertThat(b.el(".badges .badge-level").getText()).isEqualTo("黄金");
        assertThat(b.el("#h-orders").getText()).startsWith("订单");
        b.screenshot(SHOTS.resolve("customer-zh-1280.png"));
        b.open("/rules/table?name=" + TABLE);
        assertThat(b.el("h1").getText()).startsWith("决策表");

        // 7. tablet width: the same pages stay usable (navigation on top, nothing wider than the screen)
        b.driver.manage().window().setSize(new Dimension(800, 1024));
        for (String[] page : new String[][]{{"/", "dashboard-zh-800.png"}, {"/customers/" + lena, "customer-zh-800.png"},
                {"/rules/table?name=" + TABLE, "rules-table-zh-800.png"}, {"/analytics", "analytics-zh-800.png"}}) {
            b.open(page[0]);
            b.settle();
            assertThat((Boolean) b.js("return document.documentElement.scrollWidth <= window.innerWidth + 1"))
                    .as("no horizontal scrolling at 800 px on " + page[0]).isTrue();
            b.screenshot(SHOTS.resolve(page[1]));
        }
        b.el("a[hreflang='en']").click();
        b.waitFor(d -> "en".equals(d.findElement(By.tagName("html")).getAttribute("lang")), WAIT);
        b.driver.manage().window().setSize(new Dimension(1280, 900));
        b.open("/analytics");
        b.screenshot(SHOTS.resolve("analytics-1280.png"));
    }

    /** Keyboard only: the skip link and every navigation link are reachable with Tab, and labels name the inputs. */
    @Test
    void keyboardAndLabels() {
        b = Browser.start(api.baseUrl(), 1280, 900, "en-US");
        b.login("admin", TestApi.ADMIN_PASSWORD);
        b.open("/customers");
        b.js("document.activeElement.blur()");
        b.driver.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.TAB);
        assertThat(b.driver.switchTo().activeElement().getText()).isEqualTo("Skip to content");
        for (WebElement input : b.all("main input:not([type=hidden]), main select, main textarea")) {
            String id = input.getAttribute("id");
            assertThat(id).as("form controls have ids").isNotBlank();
            assertThat(b.all("label[for='" + id + "']")).as("label for #" + id).isNotEmpty();
        }
    }

    private void upload(String kind, Path file) {
        b.open("/imports");
        new Select(b.el("#kind")).selectByValue(kind);
        new Select(b.el("#format")).selectByValue("caravan");
        b.el("#file").sendKeys(file.toAbsolutePath().toString());
        b.el("#upload-form button[type=submit]").click();
        WebElement done = b.waitFor(d -> d.findElements(By.cssSelector("#import-progress .badge-SUCCEEDED")).stream()
                .findFirst().orElse(null), WAIT);
        assertThat(done.getText()).isEqualTo("Finished");
        assertThat(b.el("#import-progress .percent").getText()).isEqualTo("100.0%");
        assertThat(b.el("#import-progress progress").getAttribute("value")).isEqualTo("100");
    }

    private String awaitCustomer(String email, java.util.function.Predicate<JsonNode> ready) {
        JsonNode page = api.awaitJson(api.admin(), "/api/v1/customers?q=" + email,
                p -> p.path("content").size() == 1 && ready.test(p.path("content").get(0)), WAIT);
        return page.get("content").get(0).get("id").asString();
    }

    private static Path demoFile(String name) throws IOException {
        Path tmp = Files.createTempFile("demo-", "-" + name);
        try (InputStream in = ConsoleBrowserTest.class.getResourceAsStream("/demo/" + name)) {
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        tmp.toFile().deleteOnExit();
        return tmp;
    }

    /** Three orders of Lena in the last 60 days (450 USD: silver until gold drops to 400 and 3 orders). */
    private static Path recentOrders() throws IOException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        StringBuilder csv = new StringBuilder("platform,store_id,order_id,buyer_id,email,phone,name,country,placed_at,"
                + "currency,total,status,sku,title,category,quantity,unit_price\n");
        for (int i = 1; i <= 3; i++) {
            csv.append("shopify,eu-shop,LB-").append(i).append(",9001,lena.brandt@example.com,,Lena Brandt,DE,")
                    .append(now.minus(60 - 15L * i, ChronoUnit.DAYS)).append(",USD,150.00,delivered,BAG-")
                    .append(i).append(",Canvas bag,bags,1,150.00\n");
        }
        csv.append("ebay,,M-1,mallory_x,mallory@example.com,,\"<script>window.caravanXss=1</script>Mallory\",US,")
                .append(now.minus(5, ChronoUnit.DAYS)).append(",USD,20.00,delivered,PEN-1,Pen,office,1,20.00\n");
        Path tmp = Files.createTempFile("recent-orders-", ".csv");
        Files.writeString(tmp, csv, StandardCharsets.UTF_8);
        tmp.toFile().deleteOnExit();
        return tmp;
    }

    /**
     * Journeys and segments in the browser: the welcome journey's diagram with a count overlay on the step a customer
     * waits at; the modeler for a marketer offers the journey steps only, edits a step's parameter and validates the
     * exported BPMN on the server; the segments page builds a condition from the field catalog and previews it.
     */
    @Test
    void journeyDiagramWithCountsTheModelerAndSegments() {
        String welcome = ConsoleJourneysTest.resource("workflows/welcome.bpmn");
        api.admin().put().uri("/api/v1/workflows/welcome").contentType(org.springframework.http.MediaType.APPLICATION_XML)
                .body(welcome).retrieve().toBodilessEntity();
        var c = dev.caravan.test.Events.customer("platform", "shopify", "buyerId", "bj-1", "email", "browser-journey@example.com",
                "name", "Bea Journey", "country", "DE");
        api.admin().post().uri("/api/v1/events").body(List.of(dev.caravan.test.Events.order("bj-1", "2026-11-01T10:00:00Z", c,
                "BJ-1", "10.00", "EUR"))).retrieve().toBodilessEntity();
        String customerId = api.admin().get().uri("/api/v1/customers?q=browser-journey@example.com").retrieve()
                .body(JsonNode.class).get("content").get(0).get("id").asString();
        dev.caravan.workflow.JourneyBenchSupport journeys = new dev.caravan.workflow.JourneyBenchSupport(context);
        journeys.runDue();
        JsonNode mine = api.admin().get().uri("/api/v1/customers/" + customerId + "/journeys").retrieve().body(JsonNode.class);
        if (mine.isEmpty()) {
            journeys.start(customerId, "signed_up");
            journeys.runDue();
            mine = api.admin().get().uri("/api/v1/customers/" + customerId + "/journeys").retrieve().body(JsonNode.class);
        }
        String at = mine.get(0).get("currentSteps").get(0).asString();
        api.admin().delete().uri("/api/v1/users/browser-marketer").retrieve().toBodilessEntity();
        api.admin().post().uri("/api/v1/users").body(Map.of("username", "browser-marketer", "password", "a-long-browser-password",
                "roles", List.of("MARKETER"))).retrieve().toBodilessEntity();

        b = Browser.start(api.baseUrl(), 1280, 900, "en-US");
        b.login("browser-marketer", "a-long-browser-password");
        b.open("/journeys/welcome");
        b.waitFor(d -> b.el("#diagram").getAttribute("data-ready") != null, WAIT);
        assertThat(b.el("#diagram").getAttribute("data-ready")).isEqualTo("1");
        assertThat(b.all("#diagram .djs-element").size()).isGreaterThan(10);
        WebElement overlay = b.waitForElement("#diagram .djs-overlay .bpmn-count[data-node='" + at + "']", WAIT);
        assertThat(overlay.findElement(By.cssSelector(".bpmn-count-running")).getAttribute("textContent")).isEqualTo("1");
        b.screenshot(SHOTS.resolve("journey-1280.png"));
        b.open("/customers/" + customerId);
        assertThat(b.el("#journey-0 summary").getText()).contains("welcome");
        b.screenshot(SHOTS.resolve("customer-journeys-1280.png"));

        // the modeler: journey steps in the palette, no plain task or sub-process; edit a step's parameter; validate
        b.open("/journeys/welcome/edit");
        b.waitFor(d -> "1".equals(b.el("#modeler").getAttribute("data-ready")), WAIT);
        assertThat(b.all(".djs-palette [data-action='create.caravan-SendMessage']")).hasSize(1);
        assertThat(b.all(".djs-palette [data-action='create.caravan-WaitUntilLocalTime']")).hasSize(1);
        assertThat(b.all(".djs-palette [data-action='create.task']")).isEmpty();
        assertThat(b.all(".djs-palette [data-action='create.subprocess-expanded']")).isEmpty();
        b.el("#modeler .djs-element[data-element-id='send_welcome_a'] .djs-hit").click();
        WebElement template = b.waitForElement("#step-properties #prop-template", WAIT);
        assertThat(template.getAttribute("value")).isEqualTo("welcome-a");
        template.clear();
        template.sendKeys("welcome-tips", org.openqa.selenium.Keys.TAB);
        b.waitFor(d -> b.el("#bpmn-xml").getAttribute("value").contains(">welcome-tips</bpmn2:from>")
                && !b.el("#bpmn-xml").getAttribute("value").contains(">welcome-a</bpmn2:from>"), WAIT);
        assertThat(b.el("#bpmn-xml").getAttribute("value")).contains("drools:taskName=\"SendMessage\"");
        b.el("#journey-form button[hx-post='/journeys/validate']").click();
        WebElement valid = b.waitForElement("#journey-result #journey-valid, #journey-result #journey-problems", WAIT);
        assertThat(valid.getAttribute("id")).as(valid.getText()).isEqualTo("journey-valid");
        b.screenshot(SHOTS.resolve("journey-modeler-1280.png"));

        // a new journey: the id typed in the form becomes the process id of the exported BPMN
        b.open("/journeys/new");
        b.waitFor(d -> "1".equals(b.el("#modeler").getAttribute("data-ready")), WAIT);
        b.el("#j-id").sendKeys("browser-new", org.openqa.selenium.Keys.TAB);
        b.waitFor(d -> b.el("#bpmn-xml").getAttribute("value").contains("<bpmn2:process id=\"browser-new\""), WAIT);

        // segments: a leaf from the catalog, then the preview
        b.open("/segments/new");
        assertThat(b.el("h1").getText()).isEqualTo("New segment");
        b.el("#seg-condition").clear(); // the example needs two orders
        new Select(b.el("#leaf-field")).selectByValue("country");
        new Select(b.el("#leaf-op")).selectByValue("in");
        b.el("#leaf-value").sendKeys("DE,AT");
        b.el("form[data-add-leaf] button[type=submit]").click();
        assertThat(b.el("#seg-condition").getAttribute("value")).contains("\"country\"").contains("\"AT\"");
        b.el("#segment-form button[hx-post='/segments/preview']").click();
        WebElement preview = b.waitForElement("#segment-preview #preview-result", WAIT);
        assertThat(preview.getText()).contains("Bea Journey");
        b.screenshot(SHOTS.resolve("segment-1280.png"));

        // every control labelled; no sideways scrolling at 800 px
        for (String page : List.of("/segments/new", "/campaigns/new", "/journeys/welcome/edit")) {
            b.open(page);
            b.settle();
            if (page.endsWith("/edit")) b.el("#modeler .djs-element[data-element-id='wait_tips'] .djs-hit").click();
            for (WebElement input : b.all("main input:not([type=hidden]), main select, main textarea")) {
                if (!input.findElements(By.xpath("ancestor::*[contains(@class,'bpmn-canvas')]")).isEmpty()) continue; // bpmn-js' own
                String id = input.getAttribute("id");
                assertThat(id).as(page + ": form controls have ids " + input.getAttribute("outerHTML")).isNotBlank();
                assertThat(b.all("label[for='" + id + "']")).as(page + ": label for #" + id).isNotEmpty();
            }
        }
        b.driver.manage().window().setSize(new Dimension(800, 1024));
        for (String page : List.of("/journeys/welcome", "/journeys/welcome/instances", "/segments/new", "/campaigns/new",
                "/customers/" + customerId)) {
            b.open(page);
            b.settle();
            assertThat((Boolean) b.js("return document.documentElement.scrollWidth <= window.innerWidth + 1"))
                    .as("no horizontal scrolling at 800 px on " + page).isTrue();
        }
        b.open("/journeys/welcome");
        b.screenshot(SHOTS.resolve("journey-800.png"));
    }
}
