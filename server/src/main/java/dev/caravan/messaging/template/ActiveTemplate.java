package dev.caravan.messaging.template;

/**
 * The template version in use for a key.
 *
 * @param version 0 for the bundled default, 1.. for versions saved at run time
 * @param origin  {@code bundled} or {@code custom}
 */
public record ActiveTemplate(MessageTemplate template, int version, String origin) {

    public TemplateKey key() {
        return template.key();
    }
}
