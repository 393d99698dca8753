package dev.caravan.messaging.template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed template file: {@code key: value} headers, then named parts introduced by {@code ---- part} lines.
 * <pre>
 * # welcome e-mail, English
 * purpose: marketing
 * subject: Welcome to {{shop.name}}, {{customer.firstName}}!
 * ---- html
 * &lt;p&gt;Hello {{customer.firstName}}...&lt;/p&gt;
 * ---- text
 * Hello {{customer.firstName}}...
 * </pre>
 * Headers and parts are Mustache templates (logic-less: variables, sections over lists, inverted sections).
 */
public record MessageTemplate(TemplateKey key, Map<String, String> headers, Map<String, String> parts,
                              String source) {

    public MessageTemplate {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        parts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parts));
    }

    public String header(String name) {
        return headers.get(name);
    }

    public String part(String name) {
        return parts.get(name);
    }

    /** The most permissive purpose the template may be sent for: {@code marketing} or {@code transactional}. */
    public String purpose() {
        return headers.getOrDefault("purpose", "marketing");
    }

    public boolean sendOnHolidays() {
        return Boolean.parseBoolean(headers.getOrDefault("sendOnHolidays", "false"));
    }

    /** WhatsApp: an approved template (sendable any time) rather than free-form session text. */
    public boolean whatsAppTemplate() {
        String t = headers.get("template");
        return t != null && !t.isBlank();
    }

    /** WhatsApp template body parameters ({@code param.1}, {@code param.2}...) in order. */
    public List<String> whatsAppParams() {
        return headers.entrySet().stream().filter(e -> e.getKey().startsWith("param."))
                .sorted(java.util.Comparator.comparingInt(e -> Integer.parseInt(e.getKey().substring(6))))
                .map(Map.Entry::getValue).toList();
    }
}
