package dev.caravan.integrations.contract;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The official API contracts in {@code ../shared/specs} as test oracles: request and response bodies are
 * validated against the contract's JSON schemas, paths against its path templates. Tests locate the folder from
 * the working directory (walking up to the repository root, then {@code ../shared/specs}) and skip when it is
 * absent (users' clones have none).
 */
public final class SpecContracts {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Map<String, SpecContracts> CACHE = new ConcurrentHashMap<>();

    private final JsonNode spec;
    private final String schemasPointer;
    private final SpecificationVersion dialect;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private SpecContracts(JsonNode spec, String schemasPointer, SpecificationVersion dialect) {
        this.spec = spec;
        this.schemasPointer = schemasPointer;
        this.dialect = dialect;
    }

    /** {@code ../shared/specs} beside the repository root, if present. */
    public static Optional<Path> specsDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("integrations"))) {
                Path specs = dir.resolveSibling("shared").resolve("specs");
                return Files.isDirectory(specs) ? Optional.of(specs) : Optional.empty();
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }

    /** Amazon SP-API Messaging v1 (Swagger 2.0). */
    public static SpecContracts amazonMessaging() {
        return load("amazon-sp-api/models/messaging.json", "/definitions", SpecificationVersion.DRAFT_4);
    }

    /** eBay commerce message API v1 (OpenAPI 3.0). */
    public static SpecContracts ebayMessage() {
        return load("ebay/commerce_message_v1_oas3.json", "/components/schemas", SpecificationVersion.DRAFT_4);
    }

    /** WhatsApp Business Messaging (Cloud) API v23.0 (OpenAPI 3.1). */
    public static SpecContracts whatsApp() {
        return load("whatsapp/business-messaging-api_v23.0.yaml", "/components/schemas", SpecificationVersion.DRAFT_2020_12);
    }

    private static SpecContracts load(String file, String pointer, SpecificationVersion dialect) {
        return CACHE.computeIfAbsent(file, f -> {
            Path path = specsDir().orElseThrow(() -> new IllegalStateException("../shared/specs is absent"))
                    .resolve(f);
            try {
                JsonNode node = f.endsWith(".yaml") ? YAMLMapper.builder().build().readTree(path.toFile())
                        : JSON.readTree(path.toFile());
                return new SpecContracts(node, pointer, dialect);
            } catch (Exception e) {
                throw new IllegalStateException("cannot read " + path, e);
            }
        });
    }

    public JsonNode spec() {
        return spec;
    }

    /** Validation errors of a JSON document against a named schema of the contract (empty when it conforms). */
    public List<String> validate(String schemaName, String json) {
        try {
            return validate(schemaName, JSON.readTree(json));
        } catch (tools.jackson.core.JacksonException e) {
            return List.of("not JSON: " + e.getMessage());
        }
    }

    public List<String> validate(String schemaName, JsonNode instance) {
        Schema schema = schemas.computeIfAbsent(schemaName, this::compile);
        List<String> out = new ArrayList<>();
        schema.validate(instance).forEach(e -> out.add(e.toString()));
        return out;
    }

    private Schema compile(String name) {
        ObjectNode root = JSON.createObjectNode();
        JsonNode defs = spec.at(schemasPointer);
        if (defs.isMissingNode() || !defs.has(name)) {
            throw new IllegalArgumentException("the contract has no schema " + name);
        }
        // Put the contract's schemas where their own $refs point, and refer to the one asked for.
        String[] parts = schemasPointer.substring(1).split("/");
        ObjectNode holder = root;
        for (int i = 0; i < parts.length - 1; i++) {
            holder = holder.putObject(parts[i]);
        }
        holder.set(parts[parts.length - 1], defs);
        root.put("$ref", "#" + schemasPointer + "/" + name);
        return SchemaRegistry.withDefaultDialect(dialect).getSchema(root);
    }

    /** Whether the contract declares this operation; {@code path} is a concrete path, matched against templates. */
    public boolean declares(String method, String path) {
        JsonNode paths = spec.path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String regex = "^" + Pattern.quote(e.getKey()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "$";
            if (Pattern.compile(regex).matcher(path).matches() && e.getValue().has(method.toLowerCase())) {
                return true;
            }
        }
        return false;
    }

    /** An example from the contract, addressed by JSON pointer (e.g. a request or response example). */
    public JsonNode at(String pointer) {
        JsonNode n = spec.at(pointer);
        if (n.isMissingNode()) throw new IllegalArgumentException("no " + pointer + " in the contract");
        return n;
    }

    public static String json(JsonNode node) {
        return JSON.writeValueAsString(node);
    }
}
