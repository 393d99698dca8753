package dev.caravan.console;

import static dev.caravan.test.Events.customer;
import static dev.caravan.test.Events.event;
import static dev.caravan.test.Events.map;
import static dev.caravan.test.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import dev.caravan.test.CaravanTest;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * The console's filter chain (form login, session, CSRF) beside the unchanged API chain (stateless, HTTP Basic,
 * API keys, no CSRF); the API's role rules applied to console pages; escaped output; every page in both languages.
 */
@CaravanTest
class ConsoleSecurityTest {

    static final String PASSWORD = "a-long-console-password";

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;

    String customerId;

    @BeforeEach
    void setUp() {
        store.clear();
        for (String role : List.of("MARKETER", "ANALYST", "SUPPORT")) {
            String name = "console-" + role.toLowerCase();
            api.admin().delete().uri("/api/v1/users/" + name).retrieve().toBodilessEntity();
            api.admin().post().uri("/api/v1/users")
                    .body(map("username", name, "password", PASSWORD, "roles", List.of(role)))
                    .retrieve().toBodilessEntity();
        }
        var evil = customer("platform", "ebay", "buyerId", "xss-1", "email", "evil@example.com",
                "name", "<script>alert('xss')</script> Eve", "country", "CN");
        JsonNode r = api.admin().post().uri("/api/v1/events").body(List.of(
                        order("con-1", "2026-11-01T10:00:00Z", evil, "X-1", "42.00", "USD"),
                        event("con-2", "complaint", "2026-11-02T10:00:00Z", evil, map("text", "<img src=x onerror=alert(2)>"))))
                .retrieve().body(JsonNode.class);
        assertThat(r.get("rejected").asInt()).as(r.toString()).isZero();
        customerId = api.admin().get().uri("/api/v1/customers?q=evil@example.com").retrieve().body(JsonNode.class)
                .get("content").get(0).get("id").asString();
    }

    ConsoleSession session() {
        return new ConsoleSession(api.baseUrl());
    }

    ConsoleSession signedIn(String user, String password) {
        ConsoleSession s = session();
        HttpResponse<String> r = s.login(user, password);
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElse("")).doesNotContain("error");
        return s;
    }

    ConsoleSession admin() {
        return signedIn("admin", TestApi.ADMIN_PASSWORD);
    }

    @Test
    void theApiChainStaysStatelessWithBasicAndNoCsrf() {
        ResponseEntity<String> basic = api.admin().get().uri("/api/v1/customers").retrieve().toEntity(String.class);
        assertThat(basic.getStatusCode().value()).isEqualTo(200);
        assertThat(basic.getHeaders().get("Set-Cookie")).isNull();
        assertThat(api.anonymous().get().uri("/api/v1/customers").retrieve().toEntity(String.class)
                .getStatusCode().value()).isEqualTo(401);
        // a POST with HTTP Basic needs no CSRF token on the API
        assertThat(api.admin().post().uri("/api/v1/events").body(List.of(order("con-3", "2026-11-03T10:00:00Z",
                customer("platform", "ebay", "buyerId", "b-3"), "X-3", "5.00", "USD"))).retrieve().toBodilessEntity()
                .getStatusCode().is2xxSuccessful()).isTrue();
        // a console session cookie does not open the API
        ConsoleSession s = admin();
        assertThat(s.get("/api/v1/customers").statusCode()).isEqualTo(401);
    }

    @Test
    void consolePagesNeedAFormLoginWithCsrf() {
        ConsoleSession anonymous = session();
        for (String path : List.of("/", "/customers", "/rules", "/settings", "/customers/" + customerId)) {
            HttpResponse<String> r = anonymous.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(302);
            assertThat(r.headers().firstValue("Location").orElse("")).as(path).endsWith("/login");
        }
        // HTTP Basic does not sign in to the console
        HttpResponse<String> basic = anonymous.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/customers"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString(("admin:" + TestApi.ADMIN_PASSWORD).getBytes())).GET(), Map.of());
        assertThat(basic.statusCode()).isEqualTo(302);
        // a login without the CSRF token is refused, a wrong password is sent back to the form
        ConsoleSession s = session();
        s.get("/login");
        assertThat(s.post("/login", Map.of("username", "admin", "password", TestApi.ADMIN_PASSWORD), false).statusCode())
                .isEqualTo(403);
        assertThat(s.post("/login", Map.of("username", "admin", "password", "wrong"), true)
                .headers().firstValue("Location").orElse("")).endsWith("/login?error");

        ConsoleSession admin = admin();
        HttpResponse<String> page = admin.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'");
        assertThat(page.headers().firstValue("X-Frame-Options").orElse("")).isEqualTo("SAMEORIGIN");
        // a state-changing form without the token is refused, with it accepted
        admin.get("/customers/" + customerId);
        assertThat(admin.post("/customers/" + customerId + "/consents/email", Map.of("granted", "true"), false).statusCode())
                .isEqualTo(403);
        assertThat(admin.post("/customers/" + customerId + "/consents/email", Map.of("granted", "true"), true).statusCode())
                .isEqualTo(302);
        assertThat(api.admin().get().uri("/api/v1/customers/" + customerId + "/consents").retrieve().body(JsonNode.class)
                .get("marketing").get("email").get("granted").asBoolean()).isTrue();
        // sign out ends the session
        admin.get("/");
        assertThat(admin.post("/logout", Map.of(), true).statusCode()).isEqualTo(302);
        assertThat(admin.get("/").statusCode()).isEqualTo(302);
    }

    @Test
    void untrustedTextIsEscapedEverywhere() {
        ConsoleSession admin = admin();
        for (String path : List.of("/customers/" + customerId, "/customers?q=Eve", "/customers/" + customerId + "/edit")) {
            String html = admin.get(path).body();
            assertThat(html).as(path).doesNotContain("<script>alert('xss')</script>").doesNotContain("<img src=x");
            assertThat(html).as(path).contains("&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt; Eve");
        }
        assertThat(admin.get("/customers/" + customerId).body()).contains("&lt;img src=x onerror=alert(2)&gt;");
        // the language switch never redirects to another host
        assertThat(admin.get("/lang?l=zh-CN&to=//evil.example/").headers().firstValue("Location").orElse(""))
                .doesNotContain("evil");
    }

    @Test
    void eachRoleSeesAndChangesWhatTheApiAllowsIt() {
        ConsoleSession analyst = signedIn("console-analyst", PASSWORD);
        assertThat(analyst.get("/customers/export?format=csv").statusCode()).isEqualTo(403);
        assertThat(analyst.get("/settings").body()).doesNotContain("id=\"users\"");
        assertThat(analyst.get("/rules").statusCode()).isEqualTo(200);
        assertThat(analyst.post("/rules/table", Map.of("name", "caravan/membership.drl.csv", "cols", "3",
                "cell", "1"), true).statusCode()).isEqualTo(403);
        assertThat(analyst.get("/customers/" + customerId).body()).contains("Not available for your role"); // consents
        // ANALYST sees customers pseudonymised in the console too (as in the API): no e-mail, no name
        for (String path : List.of("/customers/" + customerId, "/customers",
                "/customers/" + customerId + "/timeline")) {
            String html = analyst.get(path).body();
            assertThat(html).as(path).doesNotContain("evil@example.com").doesNotContain("alert(&#39;xss&#39;)");
            if (!path.endsWith("/timeline")) assertThat(html).as(path).contains("anon-");
        }
        assertThat(admin().get("/customers/" + customerId).body()).contains("evil@example.com");

        ConsoleSession support = signedIn("console-support", PASSWORD);
        String dashboard = support.get("/").body();
        assertThat(dashboard).contains("Not available for your role");
        assertThat(support.get("/rules").statusCode()).isEqualTo(403);
        assertThat(support.get("/imports").statusCode()).isEqualTo(403);

        ConsoleSession marketer = signedIn("console-marketer", PASSWORD);
        assertThat(marketer.get("/imports").statusCode()).isEqualTo(200);
        assertThat(marketer.get("/customers/export?format=csv").statusCode()).isEqualTo(403);
        assertThat(marketer.get("/rules/file?name=caravan/tiers.drl").body()).contains("only an administrator edits them")
                .doesNotContain("Save and activate");

        ConsoleSession admin = admin();
        HttpResponse<String> export = admin.get("/customers/export?format=csv");
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.body()).startsWith("id,name,");
    }

    @Test
    void everyPageRendersInEnglishAndChineseWithoutMissingKeys() {
        List<String> pages = List.of("/", "/customers", "/customers/" + customerId, "/customers/" + customerId + "/edit",
                "/imports", "/rules", "/rules/table?name=caravan/membership.drl.csv", "/rules/file?name=caravan/tiers.drl",
                "/rules/scenarios", "/rules/versions", "/messages", "/messages?view=failed", "/messages/templates",
                "/messages/templates/birthday/email/zh-CN", "/analytics", "/settings",
                "/settings/connections/new?type=shopify", "/journeys", "/journeys/new", "/journeys/holidays", "/segments",
                "/segments/new", "/campaigns", "/campaigns/new");
        for (String lang : List.of("en", "zh-CN")) {
            ConsoleSession s = admin().language(lang);
            s.get("/lang?l=" + lang + "&to=/");
            for (String p : pages) {
                HttpResponse<String> r = s.get(p);
                assertThat(r.statusCode()).as(lang + " " + p).isEqualTo(200);
                assertThat(r.body()).as(lang + " " + p).doesNotContain("??").contains("lang=\"" + lang + "\"");
            }
            assertThat(s.get("/customers").body()).contains(lang.equals("en") ? "Customers" : "客户");
        }
    }
}
