package dev.caravan.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.UnaryOperator;

import dev.caravan.common.web.FieldError;
import tools.jackson.databind.JsonNode;

/** Reads typed fields from one JSON object, collecting a field error for each bad value instead of failing. */
final class ItemReader {

    static final int MAX_TEXT = 10_000;

    private final JsonNode node;
    private final String prefix;
    private final List<FieldError> errors;

    ItemReader(JsonNode node, String prefix, List<FieldError> errors) {
        this.node = node;
        this.prefix = prefix;
        this.errors = errors;
    }

    ItemReader child(String field) {
        JsonNode child = node.get(field);
        return new ItemReader(child == null || child.isNull() ? null : child, path(field), errors);
    }

    List<FieldError> errorsList() {
        return errors;
    }

    boolean present() {
        return node != null && node.isObject();
    }

    boolean has(String field) {
        return node != null && node.hasNonNull(field);
    }

    JsonNode raw(String field) {
        return node == null ? null : node.get(field);
    }

    String path(String field) {
        if (field.isEmpty()) return prefix;
        return prefix.isEmpty() ? field : prefix + "." + field;
    }

    void error(String field, String message) {
        errors.add(new FieldError(path(field), message));
    }

    String text(String field, boolean required) {
        JsonNode v = raw(field);
        if (v == null || v.isNull()) {
            if (required) error(field, "is required");
            return null;
        }
        if (!(v.isString() || v.isNumber())) {
            error(field, "must be a string");
            return null;
        }
        String s = v.asString().trim();
        if (s.isEmpty()) {
            if (required) error(field, "must not be blank");
            return null;
        }
        if (s.length() > MAX_TEXT) {
            error(field, "is longer than " + MAX_TEXT + " characters");
            return null;
        }
        return s;
    }

    /** A text field passed through a normaliser whose IllegalArgumentException becomes a field error. */
    String normalised(String field, boolean required, UnaryOperator<String> normaliser) {
        String s = text(field, required);
        if (s == null) return null;
        try {
            return normaliser.apply(s);
        } catch (IllegalArgumentException e) {
            error(field, e.getMessage());
            return null;
        }
    }

    BigDecimal decimal(String field, boolean required) {
        JsonNode v = raw(field);
        if (v == null || v.isNull()) {
            if (required) error(field, "is required");
            return null;
        }
        try {
            if (v.isNumber()) return v.decimalValue();
            if (v.isString()) return new BigDecimal(v.asString().trim());
        } catch (NumberFormatException e) {
            // reported below
        }
        error(field, "must be a decimal number, got " + v);
        return null;
    }

    Integer integer(String field, boolean required, int min, int max) {
        JsonNode v = raw(field);
        if (v == null || v.isNull()) {
            if (required) error(field, "is required");
            return null;
        }
        Integer value = null;
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            value = v.asInt();
        } else if (v.isString()) {
            try {
                value = Integer.parseInt(v.asString().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        if (value == null) {
            error(field, "must be a whole number, got " + v);
            return null;
        }
        if (value < min || value > max) {
            error(field, "must be between " + min + " and " + max);
            return null;
        }
        return value;
    }

    Instant instant(String field, boolean required) {
        String s = text(field, required);
        if (s == null) return null;
        try {
            return OffsetDateTime.parse(s).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            error(field, "'" + s + "' is not an ISO-8601 date-time with offset, e.g. 2026-11-23T10:15:30Z");
            return null;
        }
    }
}
