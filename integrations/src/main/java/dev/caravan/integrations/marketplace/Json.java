package dev.caravan.integrations.marketplace;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reading platform JSON leniently where it may be absent and strictly where a value is present but wrong.
 * Numbers are read as BigDecimal and ids as text, so Shopify's 64-bit ids and string amounts keep every digit.
 */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private Json() {
    }

    public static JsonNode parse(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new MalformedRecordException("the body is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new MalformedRecordException("the body is not JSON: " + e.getMessage());
        }
    }

    /** Text of a field; numbers as their exact digits; null when missing, null or blank. */
    public static String text(JsonNode node, String field) {
        if (node == null) return null;
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isMissingNode() || v.isContainerNode()) return null;
        String s = v.isIntegralNumber() ? v.bigIntegerValue().toString()
                : v.isNumber() ? v.decimalValue().toPlainString() : v.asText();
        return s == null || s.isBlank() ? null : s.trim();
    }

    public static String required(JsonNode node, String field) {
        String v = text(node, field);
        if (v == null) throw new MalformedRecordException(field + " is missing");
        return v;
    }

    public static JsonNode obj(JsonNode node, String field) {
        if (node == null) return null;
        JsonNode v = node.get(field);
        return v != null && v.isObject() ? v : null;
    }

    public static JsonNode array(JsonNode node, String field) {
        if (node == null) return null;
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw new MalformedRecordException(field + " is not an array");
        return v;
    }

    public static BigDecimal decimal(JsonNode node, String field) {
        String v = text(node, field);
        if (v == null) return null;
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new MalformedRecordException(field + " '" + v + "' is not a number");
        }
    }

    public static int integer(JsonNode node, String field, int fallback) {
        String v = text(node, field);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new MalformedRecordException(field + " '" + v + "' is not a whole number");
        }
    }

    /** ISO 8601 date-time with offset (2021-12-31T19:00:00-05:00, 2017-01-20T19:49:35Z). */
    public static Instant instant(JsonNode node, String field) {
        String v = text(node, field);
        if (v == null) return null;
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e2) {
                throw new MalformedRecordException(field + " '" + v + "' is not an ISO 8601 date-time");
            }
        }
    }

    public static boolean bool(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && (v.isBoolean() ? v.asBoolean() : "true".equalsIgnoreCase(v.asText()));
    }
}
