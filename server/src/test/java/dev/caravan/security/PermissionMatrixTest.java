package dev.caravan.security;

import static dev.caravan.test.Events.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.caravan.test.CaravanTest;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

/**
 * Proves the permission matrix of docs/SECURITY.md against the running server: every operation of the OpenAPI
 * document must have a row, every row must be a real operation, and each operation called as each role (with an
 * API key holding only that role, a harmless body and made-up ids) answers 403 exactly for the roles without a
 * ✓ and 401 to anonymous callers. Allowed roles get whatever the handler answers (200, 400, 404...), never 401/403.
 */
@CaravanTest
class PermissionMatrixTest {

    private static final String PROBE_ID = "matrix-probe-x";

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;

    private final Map<Role, RestClient> clients = new EnumMap<>(Role.class);

    @BeforeEach
    void setUp() {
        store.clear();
        for (Role role : Role.values()) {
            JsonNode created = api.admin().post().uri("/api/v1/api-keys")
                    .body(map("name", "matrix-" + role.name().toLowerCase(), "roles", List.of(role.name())))
                    .retrieve().body(JsonNode.class);
            clients.put(role, api.withApiKey(created.get("key").asString()));
        }
    }

    @AfterEach
    void tearDown() {
        store.clear();
    }

    @Test
    void everyOperationFollowsTheMatrix() {
        Map<String, PermissionMatrix.Entry> matrix = PermissionMatrix.read();
        JsonNode doc = api.admin().get().uri("/v3/api-docs").retrieve().body(JsonNode.class);
        JsonNode paths = doc.get("paths");
        Set<String> documented = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (String path : paths.propertyNames()) {
            JsonNode item = paths.get(path);
            for (String method : item.propertyNames()) {
                if (!Set.of("get", "post", "put", "patch", "delete").contains(method)) continue;
                String op = method.toUpperCase() + " " + path;
                documented.add(op);
                PermissionMatrix.Entry entry = matrix.get(op);
                if (entry == null) {
                    missing.add("| `" + op + "` |  |  |  |  |  |  |");
                    continue;
                }
                if (entry.publicEndpoint()) continue; // webhooks and unsubscribe links: WebhookSignatureTest
                JsonNode operation = item.get(method);
                String uri = concrete(path, operation, item);
                Body body = body(operation);
                int anonymous = call(api.anonymous(), method, uri, body);
                if (anonymous != 401) wrong.add(op + " anonymous -> " + anonymous + " (expected 401)");
                for (Role role : PermissionMatrix.COLUMNS) {
                    int status = call(clients.get(role), method, uri, body);
                    boolean allowed = entry.allowed().contains(role);
                    if (allowed && (status == 401 || status == 403)) {
                        wrong.add(op + " as " + role + " -> " + status + " (the matrix allows it)");
                    } else if (!allowed && status != 403) {
                        wrong.add(op + " as " + role + " -> " + status + " (the matrix forbids it: expected 403)");
                    }
                }
            }
        }
        List<String> stale = matrix.keySet().stream().filter(op -> !documented.contains(op)).toList();
        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(missing).as("operations without a row in docs/SECURITY.md '## Roles and permissions' "
                    + "(add the rows, mark the allowed roles with ✓)").isEmpty();
            soft.assertThat(stale).as("matrix rows that are no operation of the OpenAPI document").isEmpty();
            soft.assertThat(wrong).as("operations whose roles differ from the matrix").isEmpty();
        });
        assertThat(documented).contains("GET /api/v1/audit", "GET /api/v1/customers/export", "POST /api/v1/events");
    }

    @Test
    void personalDataExportsNeedAdmin() {
        Map<String, PermissionMatrix.Entry> matrix = PermissionMatrix.read();
        for (String op : List.of("GET /api/v1/customers/export", "GET /api/v1/audit", "GET /api/v1/imports/{jobId}/errors")) {
            assertThat(matrix.get(op).allowed()).as(op).contains(Role.ADMIN)
                    .doesNotContain(Role.MARKETER, Role.ANALYST, Role.SUPPORT);
        }
    }

    private record Body(String contentType, String content) {
    }

    /** The path with sample values for path variables and every required query parameter. */
    private static String concrete(String path, JsonNode operation, JsonNode item) {
        UriComponentsBuilder b = UriComponentsBuilder.fromPath(path);
        Map<String, Object> vars = new java.util.HashMap<>();
        List<JsonNode> params = new ArrayList<>();
        item.path("parameters").forEach(params::add);
        operation.path("parameters").forEach(params::add);
        for (JsonNode p : params) {
            String name = p.path("name").asString();
            String in = p.path("in").asString();
            Object value = sample(p.path("schema"));
            if (in.equals("path")) vars.put(name, value);
            else if (in.equals("query") && p.path("required").asBoolean(false)) b.queryParam(name, value);
        }
        Iterator<String> names = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path).results()
                .map(r -> r.group(1)).iterator();
        names.forEachRemaining(n -> vars.putIfAbsent(n, PROBE_ID));
        return b.buildAndExpand(vars).toUriString();
    }

    private static Object sample(JsonNode schema) {
        if (schema.has("enum")) return schema.get("enum").get(0).asString();
        String type = schema.path("type").asString("string");
        String format = schema.path("format").asString("");
        switch (type) {
            case "integer":
            case "number":
                return 999999;
            case "boolean":
                return false;
            default:
                if (format.equals("date-time")) return "2020-01-01T00:00:00Z";
                if (format.equals("date")) return "2020-01-01";
                return PROBE_ID;
        }
    }

    /** A body the handler can bind but will refuse or ignore: {} for JSON, a line of junk for text. */
    private static Body body(JsonNode operation) {
        JsonNode content = operation.path("requestBody").path("content");
        if (content.isMissingNode() || content.isEmpty()) return null;
        List<String> types = new ArrayList<>(content.propertyNames());
        if (types.contains("application/json")) return new Body("application/json", "{}");
        String type = types.get(0);
        if (type.contains("xml")) return new Body(type, "<probe/>");
        if (type.equals("*/*")) return new Body("application/json", "{}");
        return new Body(type, "probe");
    }

    private static int call(RestClient client, String method, String uri, Body body) {
        RestClient.RequestBodySpec spec = client.method(HttpMethod.valueOf(method.toUpperCase())).uri(uri);
        if (body != null) spec = spec.contentType(MediaType.parseMediaType(body.contentType())).body(body.content());
        return spec.retrieve().toBodilessEntity().getStatusCode().value();
    }
}
