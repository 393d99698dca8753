package dev.caravan.console;

import java.nio.charset.StandardCharsets;

import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.ReloadableResourceBundleMessageSource;
import org.springframework.web.servlet.LocaleResolver;

/** The console's message bundles (English and Simplified Chinese) and how the language is chosen. */
@Configuration(proxyBeanMethods = false)
class ConsoleWebConfiguration {

    static final String BUNDLE = "classpath:i18n/messages";

    @Bean
    MessageSource messageSource() {
        ReloadableResourceBundleMessageSource m = new ReloadableResourceBundleMessageSource();
        m.setBasename(BUNDLE);
        m.setDefaultEncoding(StandardCharsets.UTF_8.name());
        m.setFallbackToSystemLocale(false);
        m.setDefaultLocale(java.util.Locale.ENGLISH);
        m.setCacheSeconds(-1);
        return m;
    }

    @Bean
    LocaleResolver localeResolver() {
        return new ConsoleLocaleResolver();
    }
}
