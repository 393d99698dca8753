package dev.caravan.segment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.IllformedLocaleException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.FieldError;
import dev.caravan.customer.Countries;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a segment's JSON into a typed {@link Condition}. Two gates, both must pass: the JSON Schema
 * ({@code segments/segment.schema.json}: shape, operators, value types, no {@code $}-prefixed strings, no objects as
 * values), then the field catalog ({@link SegmentField}: known field, operator allowed for it, values of the right
 * form: ids, ISO country codes, numbers in range). Values are kept as plain data and only ever compared; nothing a
 * marketer writes becomes code or a query operator.
 */
@Component
public class ConditionParser {

    static final String SCHEMA_RESOURCE = "/segments/segment.schema.json";
    private static final Pattern ID = Pattern.compile("^[a-z][a-z0-9-]{0,39}$");
    private static final Pattern CHANNEL_OR_PLATFORM = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,39}$");
    private static final Pattern LANGUAGE = Pattern.compile("^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$");
    /** Category names and SKUs: letters, digits and a few separators; no quotes, operators or code punctuation. */
    private static final Pattern TEXT = Pattern.compile("^[\\p{L}\\p{N}][\\p{L}\\p{N} ._/&'+,()#:%-]{0,119}$");

    /** A validated segment body. */
    public record Parsed(String name, String description, Condition condition, JsonNode canonical) {
    }

    private final Schema schema;
    private final JsonNode schemaDocument;
    private final SegmentProperties props;

    public ConditionParser(JsonMapper json, SegmentProperties props) {
        this.props = props;
        try (InputStream in = ConditionParser.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            this.schemaDocument = json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaDocument);
    }

    /** The JSON Schema every segment body is checked against (served by {@code GET /api/v1/segments/schema}). */
    public JsonNode schema() {
        return schemaDocument;
    }

    /** Parses {@code {"name", "description", "condition"}}; throws {@link BadRequestException} listing every problem. */
    public Parsed parseSegment(JsonNode body) {
        if (body == null || !body.isObject()) throw new BadRequestException("the segment must be a JSON object");
        List<FieldError> errors = schemaErrors(body);
        if (!errors.isEmpty()) throw new BadRequestException("the segment does not match the segment schema", errors);
        Condition c = typed(body.get("condition"), "condition", 1, errors, new int[1]);
        if (!errors.isEmpty()) throw new BadRequestException("the segment condition is invalid", errors);
        JsonNode d = body.get("description");
        return new Parsed(body.get("name").asString().trim(), d == null || d.isNull() ? null : d.asString(), c, toJson(c));
    }

    /** Parses a bare condition (previews). */
    public Condition parseCondition(JsonNode condition) {
        ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
        wrapper.put("name", "preview");
        wrapper.set("condition", condition == null ? JsonNodeFactory.instance.nullNode() : condition);
        return parseSegment(wrapper).condition();
    }

    private List<FieldError> schemaErrors(JsonNode body) {
        Set<String> seen = new LinkedHashSet<>();
        List<FieldError> out = new ArrayList<>();
        for (com.networknt.schema.Error e : schema.validate(body)) {
            String where = e.getInstanceLocation().toString();
            String key = where + " " + e.getMessage();
            if (seen.add(key) && out.size() < 20) out.add(new FieldError(where, e.getMessage()));
        }
        return out;
    }

    private Condition typed(JsonNode n, String path, int depth, List<FieldError> errors, int[] leaves) {
        if (depth > props.maxDepth()) {
            errors.add(new FieldError(path, "nests deeper than " + props.maxDepth() + " levels"));
            return new Condition.All(List.of());
        }
        if (n.has("all") || n.has("any")) {
            String kind = n.has("all") ? "all" : "any";
            List<Condition> items = new ArrayList<>();
            JsonNode arr = n.get(kind);
            for (int i = 0; i < arr.size(); i++) items.add(typed(arr.get(i), path + "." + kind + "[" + i + "]", depth + 1, errors, leaves));
            return kind.equals("all") ? new Condition.All(items) : new Condition.Any(items);
        }
        if (n.has("not")) return new Condition.Not(typed(n.get("not"), path + ".not", depth + 1, errors, leaves));
        if (++leaves[0] == props.maxLeaves() + 1) {
            errors.add(new FieldError(path, "a segment has at most " + props.maxLeaves() + " conditions"));
        }
        return leaf(n, path, errors);
    }

    private Condition.Leaf leaf(JsonNode n, String path, List<FieldError> errors) {
        String op = n.get("op").asString();
        String field = n.has("field") ? n.get("field").asString() : null;
        JsonNode value = n.get("value");
        int before = errors.size();
        if (n.has("event")) {
            return behaviourLeaf(n, path, op, field, value, errors);
        }
        if (n.has("days")) errors.add(new FieldError(path + ".days", "only behaviour conditions (with an event) have days"));
        SegmentField f = SegmentField.of(field).orElse(null);
        if (f == null) {
            errors.add(new FieldError(path + ".field", "unknown field '" + field + "'; known fields: " + SegmentField.ids()));
            return null;
        }
        if (!f.kind().ops().contains(op)) {
            errors.add(new FieldError(path + ".op", "'" + op + "' does not apply to " + field + "; use one of " + sorted(f.kind().ops())));
            return null;
        }
        Object v = value(f, op, value, path + ".value", errors);
        return errors.size() > before ? null : new Condition.Leaf(path, f, null, null, op, v, null);
    }

    private Object value(SegmentField f, String op, JsonNode value, String path, List<FieldError> errors) {
        if (op.equals("exists")) return existsValue(value, path, errors);
        if (value == null) {
            errors.add(new FieldError(path, "is required for '" + op + "'"));
            return null;
        }
        switch (f.kind()) {
            case NUMBER -> {
                Double d = number(value, path, errors);
                if (d != null && (f == SegmentField.P_ALIVE || f == SegmentField.RETURN_RATE) && (d < 0 || d > 1)) {
                    errors.add(new FieldError(path, "must lie between 0 and 1"));
                }
                return d;
            }
            case DATE -> {
                return days(value, path, errors);
            }
            default -> {
                boolean many = op.equals("in") || op.equals("nin");
                List<Object> out = new ArrayList<>();
                if (!many && value.isArray()) {
                    errors.add(new FieldError(path, "'" + op + "' takes one value; use 'in' for a list"));
                    return null;
                }
                for (JsonNode item : value.isArray() ? iterable(value) : List.of(value)) {
                    String s = text(f, item, path, errors);
                    if (s != null) out.add(s);
                }
                return many ? out : out.isEmpty() ? null : out.get(0);
            }
        }
    }

    private String text(SegmentField f, JsonNode item, String path, List<FieldError> errors) {
        if (!item.isString()) {
            errors.add(new FieldError(path, f.id() + " values are strings, got " + item));
            return null;
        }
        String s = item.asString().trim();
        switch (f.kind()) {
            case COUNTRY -> {
                String code = Countries.toCode(s).orElse(null);
                if (code == null) errors.add(new FieldError(path, "'" + s + "' is not an ISO 3166-1 alpha-2 code or a country name"));
                return code;
            }
            case LANGUAGE -> {
                if (!LANGUAGE.matcher(s).matches()) {
                    errors.add(new FieldError(path, "'" + s + "' is not a BCP 47 language tag such as de or zh-CN"));
                    return null;
                }
                try {
                    return new Locale.Builder().setLanguageTag(s.replace('_', '-')).build().toLanguageTag();
                } catch (IllformedLocaleException e) {
                    errors.add(new FieldError(path, "'" + s + "' is not a BCP 47 language tag such as de or zh-CN"));
                    return null;
                }
            }
            default -> {
                Pattern p = f == SegmentField.INTEREST ? TEXT
                        : f == SegmentField.PLATFORM || f == SegmentField.CONSENTS ? CHANNEL_OR_PLATFORM : ID;
                String v = f == SegmentField.INTEREST ? s : s.toLowerCase(Locale.ROOT);
                if (!p.matcher(v).matches()) {
                    errors.add(new FieldError(path, "'" + s + "' is not a valid " + f.id() + " value"
                            + (p == TEXT ? " (letters, digits, spaces and . _ / & ' + , ( ) # : % -)" : " (lowercase id such as core or at-risk)")));
                    return null;
                }
                return v;
            }
        }
    }

    private Condition.Leaf behaviourLeaf(JsonNode n, String path, String op, String field, JsonNode value,
                                         List<FieldError> errors) {
        String event = n.get("event").asString();
        Integer days = n.has("days") ? n.get("days").asInt() : null;
        int before = errors.size();
        Object v = null;
        if (field == null) {
            if (!op.equals("within_days") && !op.equals("not_within_days")) {
                errors.add(new FieldError(path + ".op", "a behaviour condition without a field takes within_days or "
                        + "not_within_days (did the event happen in the last N days); with field count, category or sku "
                        + "it compares those"));
            }
            if (days != null) errors.add(new FieldError(path + ".days", "give the days as the value of " + op));
            v = value == null ? null : days(value, path + ".value", errors);
            if (value == null) errors.add(new FieldError(path + ".value", "is required: the number of days"));
        } else if (field.equals("count")) {
            if (!Set.of("eq", "ne", "gt", "gte", "lt", "lte").contains(op)) {
                errors.add(new FieldError(path + ".op", "count compares with eq, ne, gt, gte, lt or lte"));
            }
            if (days == null) {
                errors.add(new FieldError(path + ".days", "is required with count (events in the last N days)"));
            } else if (!event.equals(SegmentField.ORDER_PLACED) && days > props.behaviourDays()) {
                errors.add(new FieldError(path + ".days", "behaviour counts reach back at most "
                        + props.behaviourDays() + " days (caravan.segments.behaviour-days)"));
            }
            v = value == null ? null : number(value, path + ".value", errors);
            if (value == null) errors.add(new FieldError(path + ".value", "is required"));
        } else if (field.equals("category") || field.equals("sku")) {
            if (!SegmentField.PRODUCT_EVENTS.contains(event)) {
                errors.add(new FieldError(path + ".field", field + " applies to " + sorted(SegmentField.PRODUCT_EVENTS)));
            }
            if (!Set.of("eq", "ne", "in", "nin", "contains").contains(op)) {
                errors.add(new FieldError(path + ".op", field + " compares with eq, ne, in, nin or contains"));
            }
            if (value == null) {
                errors.add(new FieldError(path + ".value", "is required"));
            } else {
                boolean many = op.equals("in") || op.equals("nin");
                List<Object> out = new ArrayList<>();
                if (!many && value.isArray()) errors.add(new FieldError(path + ".value", "'" + op + "' takes one value; use 'in' for a list"));
                for (JsonNode item : value.isArray() ? iterable(value) : List.of(value)) {
                    if (!item.isString() || !TEXT.matcher(item.asString().trim()).matches()) {
                        errors.add(new FieldError(path + ".value", "'" + item.asString() + "' is not a valid " + field
                                + " (letters, digits, spaces and . _ / & ' + , ( ) # : % -)"));
                    } else {
                        out.add(item.asString().trim());
                    }
                }
                v = many ? out : out.isEmpty() ? null : out.get(0);
            }
        } else {
            errors.add(new FieldError(path + ".field", "behaviour conditions compare count, category or sku, not '" + field + "'"));
        }
        return errors.size() > before ? null : new Condition.Leaf(path, null, event, field, op, v, days);
    }

    private static Boolean existsValue(JsonNode value, String path, List<FieldError> errors) {
        if (value == null) return true;
        if (!value.isBoolean()) {
            errors.add(new FieldError(path, "exists takes true or false"));
            return null;
        }
        return value.asBoolean();
    }

    private static Double number(JsonNode value, String path, List<FieldError> errors) {
        if (!value.isNumber()) {
            errors.add(new FieldError(path, "must be a number, got " + value));
            return null;
        }
        double d = value.asDouble();
        if (!Double.isFinite(d)) {
            errors.add(new FieldError(path, "must be a finite number"));
            return null;
        }
        return d;
    }

    private static Double days(JsonNode value, String path, List<FieldError> errors) {
        if (!value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > 36500) {
            errors.add(new FieldError(path, "must be a whole number of days, 1 to 36500"));
            return null;
        }
        return value.asDouble();
    }

    private static List<JsonNode> iterable(JsonNode arr) {
        List<JsonNode> out = new ArrayList<>();
        arr.forEach(out::add);
        return out;
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    /** The canonical JSON of a condition (normalised values, e.g. country names as codes). */
    public static JsonNode toJson(Condition c) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (c instanceof Condition.All a) {
            ObjectNode o = f.objectNode();
            ArrayNode arr = o.putArray("all");
            a.items().forEach(i -> arr.add(toJson(i)));
            return o;
        }
        if (c instanceof Condition.Any a) {
            ObjectNode o = f.objectNode();
            ArrayNode arr = o.putArray("any");
            a.items().forEach(i -> arr.add(toJson(i)));
            return o;
        }
        if (c instanceof Condition.Not n) {
            ObjectNode o = f.objectNode();
            o.set("not", toJson(n.item()));
            return o;
        }
        Condition.Leaf l = (Condition.Leaf) c;
        ObjectNode o = f.objectNode();
        if (l.event() != null) o.put("event", l.event());
        if (l.field() != null) o.put("field", l.field().id());
        else if (l.behaviourField() != null) o.put("field", l.behaviourField());
        o.put("op", l.op());
        if (l.value() != null) o.set("value", valueJson(l, l.value()));
        if (l.days() != null) o.put("days", l.days());
        return o;
    }

    private static JsonNode valueJson(Condition.Leaf l, Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v instanceof List<?> list) {
            ArrayNode arr = f.arrayNode();
            list.forEach(x -> arr.add(valueJson(l, x)));
            return arr;
        }
        if (v instanceof Boolean b) return f.booleanNode(b);
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? f.numberNode(d.longValue()) : f.numberNode(d);
        }
        return f.stringNode(String.valueOf(v));
    }
}
