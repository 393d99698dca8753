package dev.caravan.messaging.template;

import java.util.List;
import java.util.Map;

/** A template rendered for one recipient: every header and part with the variables filled in. */
public record RenderedMessage(TemplateKey key, int version, Map<String, String> headers, Map<String, String> parts,
                              List<String> whatsAppParams, List<String> missingVariables) {

    public String subject() { return headers.get("subject"); }
    public String html() { return parts.get("html"); }
    public String text() { return parts.get("text"); }
    public String title() { return headers.get("title"); }
    public String body() { return parts.get("body"); }
    public String link() { return headers.get("link"); }
    public String whatsAppTemplate() { return headers.get("template"); }
    public String whatsAppLanguage() { return headers.get("language"); }
    public String amazonMessageType() { return headers.get("messageType"); }
}
