package dev.caravan.console;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.i18n.LocaleContext;
import org.springframework.context.i18n.SimpleTimeZoneAwareLocaleContext;
import org.springframework.context.i18n.TimeZoneAwareLocaleContext;
import org.springframework.web.servlet.i18n.AbstractLocaleContextResolver;

/**
 * The console's language and the user's time zone. The language is English or Simplified Chinese: the
 * {@code caravan_lang} cookie set by the language switch, else the best match of the browser's Accept-Language.
 * The time zone is the browser's (the {@code caravan_tz} cookie, set by console.js), else UTC.
 */
class ConsoleLocaleResolver extends AbstractLocaleContextResolver {

    static final String LANG_COOKIE = "caravan_lang";
    static final String TZ_COOKIE = "caravan_tz";
    static final Locale CHINESE = Locale.forLanguageTag("zh-CN");
    static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, CHINESE);

    /** One of the supported locales for a language tag such as {@code zh}, {@code zh-CN}, {@code en-GB}. */
    static Locale supported(String tag) {
        if (tag == null || tag.isBlank()) return null;
        String lang = Locale.forLanguageTag(tag.trim().replace('_', '-')).getLanguage();
        if (lang.equals("zh")) return CHINESE;
        if (lang.equals("en")) return Locale.ENGLISH;
        return null;
    }

    @Override
    public LocaleContext resolveLocaleContext(HttpServletRequest request) {
        return new SimpleTimeZoneAwareLocaleContext(locale(request), timeZone(request));
    }

    private Locale locale(HttpServletRequest request) {
        Locale fromCookie = supported(cookie(request, LANG_COOKIE));
        if (fromCookie != null) return fromCookie;
        var locales = request.getLocales();
        while (locales.hasMoreElements()) {
            Locale l = supported(locales.nextElement().toLanguageTag());
            if (l != null) return l;
        }
        return Locale.ENGLISH;
    }

    private static TimeZone timeZone(HttpServletRequest request) {
        String tz = cookie(request, TZ_COOKIE);
        if (tz != null) {
            try {
                return TimeZone.getTimeZone(ZoneId.of(tz));
            } catch (DateTimeException e) {
                // an unknown zone from the browser: fall back to UTC
            }
        }
        return TimeZone.getTimeZone("UTC");
    }

    @Override
    public void setLocaleContext(HttpServletRequest request, HttpServletResponse response, LocaleContext context) {
        Locale locale = context == null ? null : supported(context.getLocale() == null ? null
                : context.getLocale().toLanguageTag());
        Cookie c = new Cookie(LANG_COOKIE, locale == null ? "" : locale.toLanguageTag());
        c.setPath("/");
        c.setHttpOnly(true);
        c.setMaxAge(locale == null ? 0 : 365 * 24 * 3600);
        c.setAttribute("SameSite", "Lax");
        response.addCookie(c);
        if (context instanceof TimeZoneAwareLocaleContext tz && tz.getTimeZone() != null) {
            Cookie z = new Cookie(TZ_COOKIE, tz.getTimeZone().getID());
            z.setPath("/");
            z.setMaxAge(365 * 24 * 3600);
            z.setAttribute("SameSite", "Lax");
            response.addCookie(z);
        }
    }

    private static String cookie(HttpServletRequest request, String name) {
        if (request.getCookies() == null) return null;
        for (Cookie c : request.getCookies()) {
            if (c.getName().equals(name) && !c.getValue().isBlank()) return c.getValue();
        }
        return null;
    }
}
