package dev.caravan.integrations.channel;

import java.util.List;

/**
 * A WhatsApp Cloud API message: either an approved template with body parameters, or free-form text (allowed by
 * WhatsApp only inside the 24-hour customer-service window; the server enforces that).
 *
 * @param to           recipient phone number in E.164 form
 * @param templateName approved template name; null for a free-form text message
 * @param languageCode template language as WhatsApp names it, e.g. {@code en_US}, {@code zh_CN}
 * @param bodyParams   values for the template body's {{1}}, {{2}}... in order
 * @param text         free-form text when there is no template
 */
public record WhatsAppMessage(String to, String templateName, String languageCode, List<String> bodyParams,
                              String text) {

    public WhatsAppMessage {
        bodyParams = bodyParams == null ? List.of() : List.copyOf(bodyParams);
    }

    public boolean isTemplate() {
        return templateName != null && !templateName.isBlank();
    }
}
