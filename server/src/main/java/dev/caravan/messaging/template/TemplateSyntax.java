package dev.caravan.messaging.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import dev.caravan.common.web.FieldError;

/** Parses and validates template files; every error names its line so a marketer can fix the file. */
final class TemplateSyntax {

    private static final Pattern PART = Pattern.compile("^----\\s*([a-z][a-z0-9_-]*)\\s*$");
    private static final Pattern HEADER = Pattern.compile("^([A-Za-z][A-Za-z0-9_.-]*)\\s*:\\s?(.*)$");
    private static final Pattern PARAM = Pattern.compile("^param\\.[1-9][0-9]?$");
    static final Set<String> AMAZON_TYPES = dev.caravan.integrations.channel.AmazonMessage.TEXT_MESSAGE_TYPES;

    private TemplateSyntax() {
    }

    /** Parses the file; throws {@link TemplateException} listing every problem. */
    static MessageTemplate parse(TemplateKey key, String source) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> parts = new LinkedHashMap<>();
        Map<String, Integer> partLines = new LinkedHashMap<>();
        Map<String, Integer> headerLines = new LinkedHashMap<>();
        String[] lines = source.replace("\r\n", "\n").split("\n", -1);
        String current = null;
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher part = PART.matcher(line);
            if (part.matches()) {
                if (current != null) parts.put(current, trimEnd(body.toString()));
                current = part.group(1);
                if (parts.containsKey(current)) errors.add(new FieldError("line " + (i + 1), "part '" + current + "' appears twice"));
                partLines.put(current, i + 2);
                body.setLength(0);
                continue;
            }
            if (current != null) {
                body.append(line).append('\n');
                continue;
            }
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) continue;
            Matcher h = HEADER.matcher(line);
            if (!h.matches()) {
                errors.add(new FieldError("line " + (i + 1), "expected 'name: value' or a '---- part' line, got '" + t + "'"));
                continue;
            }
            headers.put(h.group(1), h.group(2).trim());
            headerLines.put(h.group(1), i + 1);
        }
        if (current != null) parts.put(current, trimEnd(body.toString()));

        String purpose = headers.getOrDefault("purpose", "");
        if (!purpose.equals("marketing") && !purpose.equals("transactional")) {
            errors.add(new FieldError(where(headerLines, "purpose"), "purpose must be 'marketing' or 'transactional'"));
        }
        if (headers.containsKey("sendOnHolidays") && !Set.of("true", "false").contains(headers.get("sendOnHolidays"))) {
            errors.add(new FieldError(where(headerLines, "sendOnHolidays"), "sendOnHolidays must be true or false"));
        }
        switch (key.channel()) {
            case "email" -> {
                require(headers, headerLines, "subject", errors);
                if (!parts.containsKey("html") && !parts.containsKey("text")) {
                    errors.add(new FieldError("parts", "an e-mail needs a '---- html' or a '---- text' part (best both)"));
                }
                allowParts(parts, partLines, Set.of("html", "text"), errors);
            }
            case "whatsapp" -> {
                boolean template = headers.containsKey("template") && !headers.get("template").isBlank();
                if (template) {
                    require(headers, headerLines, "language", errors);
                    if (!headers.get("template").matches("^[a-z0-9_]{1,512}$")) {
                        errors.add(new FieldError(where(headerLines, "template"),
                                "WhatsApp template names are lower-case letters, digits and _"));
                    }
                } else if (!parts.containsKey("text")) {
                    errors.add(new FieldError("parts", "a WhatsApp template needs 'template:' (an approved template) "
                            + "or a '---- text' part (free-form, only inside the 24-hour service window)"));
                }
                headers.keySet().stream().filter(k -> k.startsWith("param.") && !PARAM.matcher(k).matches())
                        .forEach(k -> errors.add(new FieldError(where(headerLines, k), "parameters are named param.1, param.2 ...")));
                allowParts(parts, partLines, Set.of("text"), errors);
            }
            case "amazon" -> {
                require(headers, headerLines, "messageType", errors);
                if (headers.containsKey("messageType") && !AMAZON_TYPES.contains(headers.get("messageType"))) {
                    errors.add(new FieldError(where(headerLines, "messageType"), "messageType must be one of "
                            + new java.util.TreeSet<>(AMAZON_TYPES)));
                }
                requirePart(parts, "text", errors);
                allowParts(parts, partLines, Set.of("text"), errors);
                if (purpose.equals("marketing")) {
                    errors.add(new FieldError(where(headerLines, "purpose"),
                            "Amazon buyer-seller messages may not be marketing; use purpose: transactional"));
                }
            }
            case "ebay" -> {
                requirePart(parts, "text", errors);
                allowParts(parts, partLines, Set.of("text"), errors);
            }
            case "inbox" -> {
                require(headers, headerLines, "title", errors);
                requirePart(parts, "body", errors);
                allowParts(parts, partLines, Set.of("body"), errors);
            }
            default -> errors.add(new FieldError("channel", "unknown channel '" + key.channel() + "'"));
        }
        // Unbalanced braces compile silently in Mustache (as text); catch them with their line.
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int open = line.indexOf("{{");
            while (open >= 0) {
                int close = line.indexOf("}}", open + 2);
                int next = line.indexOf("{{", open + 2);
                if (close < 0 || (next >= 0 && next < close)) {
                    errors.add(new FieldError("line " + (i + 1), "'{{' is not closed by '}}' on this line"));
                    break;
                }
                open = line.indexOf("{{", close + 2);
            }
        }
        // Every header and part must compile as Mustache.
        headers.forEach((name, value) -> compile(value, where(headerLines, name), 0, errors));
        parts.forEach((name, value) -> compile(value, "part " + name, partLines.getOrDefault(name, 0), errors));
        if (!errors.isEmpty()) {
            throw new TemplateException("template " + key + " has errors", errors);
        }
        return new MessageTemplate(key, headers, parts, source);
    }

    private static void compile(String text, String where, int firstLine, List<FieldError> errors) {
        try {
            Mustache.compiler().compile(text);
        } catch (MustacheException e) {
            String msg = e.getMessage();
            Matcher m = Pattern.compile("@line (\\d+)").matcher(msg == null ? "" : msg);
            String location = where;
            if (firstLine > 0 && m.find()) {
                location = "line " + (firstLine + Integer.parseInt(m.group(1)) - 1);
            }
            errors.add(new FieldError(location, "Mustache syntax: " + msg));
        }
    }

    private static void require(Map<String, String> headers, Map<String, Integer> lines, String name, List<FieldError> errors) {
        if (!headers.containsKey(name) || headers.get(name).isBlank()) {
            errors.add(new FieldError(name, "header '" + name + ":' is required for this channel"));
        }
    }

    private static void requirePart(Map<String, String> parts, String name, List<FieldError> errors) {
        if (!parts.containsKey(name) || parts.get(name).isBlank()) {
            errors.add(new FieldError("parts", "part '---- " + name + "' is required for this channel"));
        }
    }

    private static void allowParts(Map<String, String> parts, Map<String, Integer> lines, Set<String> allowed,
                                   List<FieldError> errors) {
        parts.keySet().stream().filter(p -> !allowed.contains(p)).forEach(p -> errors.add(new FieldError(
                "line " + (lines.get(p) - 1), "part '" + p + "' is not used by this channel; allowed: " + allowed)));
    }

    private static String where(Map<String, Integer> lines, String header) {
        Integer line = lines.get(header);
        return line == null ? header : "line " + line;
    }

    private static String trimEnd(String s) {
        int end = s.length();
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) end--;
        return s.substring(0, end);
    }
}
