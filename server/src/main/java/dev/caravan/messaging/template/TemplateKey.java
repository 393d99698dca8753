package dev.caravan.messaging.template;

import java.util.Locale;
import java.util.regex.Pattern;

/** Identifies one template file: template name, channel and language, e.g. {@code welcome/email/zh-CN}. */
public record TemplateKey(String name, String channel, String language) {

    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9_]{0,63}$");
    private static final Pattern LANGUAGE = Pattern.compile("^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$");

    public TemplateKey {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("template name must be lower-case letters, digits and _: '" + name + "'");
        }
        if (channel == null || channel.isBlank()) {
            throw new IllegalArgumentException("channel is required");
        }
        channel = channel.toLowerCase(Locale.ROOT);
        if (language == null || !LANGUAGE.matcher(language).matches()) {
            throw new IllegalArgumentException("language must be a BCP 47 tag such as en or zh-CN: '" + language + "'");
        }
        language = Locale.forLanguageTag(language).toLanguageTag();
    }

    public String id() {
        return name + "/" + channel + "/" + language;
    }

    /** The bundled file's classpath location. */
    String resourcePath() {
        return "messaging/templates/" + name + "/" + channel + "." + language + ".tmpl";
    }

    @Override
    public String toString() {
        return id();
    }
}
