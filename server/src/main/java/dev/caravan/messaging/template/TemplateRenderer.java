package dev.caravan.messaging.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import org.springframework.stereotype.Component;

/**
 * Renders templates with jmustache. The e-mail {@code html} part is HTML-escaped; everything else (subjects, plain
 * text, WhatsApp parameters, marketplace text) is not. Missing variables render as empty text; the preview lists them.
 * Compiled templates are cached per template version.
 */
@Component
public class TemplateRenderer {

    private static final Set<String> HEADERS_NOT_RENDERED = Set.of("purpose", "sendOnHolidays", "description",
            "messageType", "template", "language");

    private final Mustache.Compiler html = Mustache.compiler().defaultValue("").emptyStringIsFalse(true).zeroIsFalse(true).escapeHTML(true);
    private final Mustache.Compiler plain = Mustache.compiler().defaultValue("").emptyStringIsFalse(true).zeroIsFalse(true).escapeHTML(false);
    private final Map<String, Template> compiled = new ConcurrentHashMap<>();

    public RenderedMessage render(ActiveTemplate active, Map<String, Object> context) {
        return render(active, context, false);
    }

    /** @param reportMissing list the variables the context lacks (previews; costs a parse of every part) */
    public RenderedMessage render(ActiveTemplate active, Map<String, Object> context, boolean reportMissing) {
        MessageTemplate t = active.template();
        String cacheKey = t.key().id() + "@" + active.version() + "#" + Integer.toHexString(t.source().hashCode());
        Map<String, String> headers = new LinkedHashMap<>();
        t.headers().forEach((name, value) -> headers.put(name, HEADERS_NOT_RENDERED.contains(name) ? value
                : compile(cacheKey + ":h:" + name, value, false).execute(context).strip()));
        Map<String, String> parts = new LinkedHashMap<>();
        t.parts().forEach((name, value) -> parts.put(name, compile(cacheKey + ":p:" + name, value,
                name.equals("html") && t.key().channel().equals("email")).execute(context)));
        List<String> params = new ArrayList<>();
        t.whatsAppParams().forEach(p -> params.add(compile(cacheKey + ":param:" + p, p, false).execute(context).strip()));
        return new RenderedMessage(t.key(), active.version(), headers, parts, params,
                reportMissing ? missing(t, context) : List.of());
    }

    private Template compile(String key, String text, boolean escapeHtml) {
        if (compiled.size() > 5000) compiled.clear();
        return compiled.computeIfAbsent(key, k -> (escapeHtml ? html : plain).compile(text));
    }

    /** Top-level variables (outside sections) that the context does not provide. */
    List<String> missing(MessageTemplate t, Map<String, Object> context) {
        Set<String> names = new LinkedHashSet<>();
        List<String> texts = new ArrayList<>(t.headers().values());
        texts.addAll(t.parts().values());
        for (String text : texts) {
            try {
                plain.compile(text).visit(new Mustache.Visitor() {
                    public void visitText(String s) { }
                    public void visitVariable(String name) { names.add(name); }
                    public boolean visitInclude(String name) { return false; }
                    public boolean visitSection(String name) { return false; }
                    public boolean visitInvertedSection(String name) { return false; }
                });
            } catch (RuntimeException ignored) {
                // validated on save; nothing to report here
            }
        }
        return names.stream().filter(n -> !n.equals(".") && !n.equals("this") && lookup(context, n) == null).toList();
    }

    @SuppressWarnings("unchecked")
    private static Object lookup(Map<String, Object> context, String dotted) {
        Object current = context;
        for (String part : dotted.split("\\.")) {
            if (!(current instanceof Map)) return null;
            current = ((Map<String, Object>) current).get(part);
            if (current == null) return null;
        }
        return current;
    }
}
