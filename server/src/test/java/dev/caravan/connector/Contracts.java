package dev.caravan.connector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The official contracts in {@code ../shared/specs}: locates them relative to the repository (tests skip when they
 * are absent, as in users' clones) and validates stub bodies against their schemas: the JSON Schema checks
 * (types, required, enums) plus a strict check that the stub uses no property the contract does not declare.
 */
final class Contracts {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private Contracts() {
    }

    /** {@code ../shared} beside the repository root, or a skipped test. */
    static Path shared() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        Path shared = dir == null ? null : dir.resolveSibling("shared");
        Assumptions.assumeTrue(shared != null && Files.isDirectory(shared.resolve("specs")),
                "../shared/specs is not present (only in the team's workspace)");
        return shared;
    }

    static Path spec(String relative) {
        return shared().resolve("specs").resolve(relative);
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A schema of one definition of a Swagger 2 (definitions) or OpenAPI 3 (components.schemas) document. */
    static final class Contract {
        private final JsonNode document;
        private final String pointerPrefix;
        private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);

        Contract(Path file) {
            this.document = read(file);
            this.pointerPrefix = document.has("definitions") ? "#/definitions/" : "#/components/schemas/";
        }

        /** Violations of the named definition by {@code body}: schema errors and undeclared properties. */
        List<String> violations(String definition, String body) {
            JsonNode instance;
            try {
                instance = JSON.readTree(body);
            } catch (RuntimeException e) {
                return List.of("not JSON: " + e.getMessage());
            }
            ObjectNode wrapper = JSON.createObjectNode();
            wrapper.put("$ref", pointerPrefix + definition);
            if (document.has("definitions")) {
                wrapper.set("definitions", document.get("definitions"));
            } else {
                wrapper.set("components", document.get("components"));
            }
            Schema schema = registry.getSchema(wrapper);
            List<String> out = new ArrayList<>();
            for (Error e : schema.validate(instance)) {
                out.add(e.toString());
            }
            undeclared(instance, resolve(JSON.createObjectNode().put("$ref", pointerPrefix + definition)), "$", out);
            return out;
        }

        private JsonNode resolve(JsonNode schema) {
            JsonNode s = schema;
            while (s != null && s.has("$ref")) {
                String ref = s.get("$ref").asString();
                s = document.at(ref.substring(1));
            }
            return s;
        }

        private void undeclared(JsonNode node, JsonNode schema, String path, List<String> out) {
            schema = resolve(schema);
            if (schema == null) return;
            if (node.isObject()) {
                Map<String, JsonNode> props = new java.util.LinkedHashMap<>();
                collect(schema, props);
                JsonNode additional = schema.get("additionalProperties");
                Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> f = fields.next();
                    JsonNode ps = props.get(f.getKey());
                    if (ps != null) {
                        undeclared(f.getValue(), ps, path + "." + f.getKey(), out);
                    } else if (additional != null && additional.isObject()) {
                        undeclared(f.getValue(), additional, path + "." + f.getKey(), out);
                    } else if (!props.isEmpty()) {
                        out.add(path + "." + f.getKey() + " is not declared by the contract");
                    }
                }
            } else if (node.isArray() && schema.has("items")) {
                for (int i = 0; i < node.size(); i++) {
                    undeclared(node.get(i), schema.get("items"), path + "[" + i + "]", out);
                }
            }
        }

        private void collect(JsonNode schema, Map<String, JsonNode> props) {
            JsonNode s = resolve(schema);
            if (s == null) return;
            if (s.has("properties")) s.get("properties").properties().forEach(e -> props.put(e.getKey(), e.getValue()));
            for (String combo : List.of("allOf", "anyOf", "oneOf")) {
                if (s.has(combo)) s.get(combo).forEach(x -> collect(x, props));
            }
        }
    }
}
