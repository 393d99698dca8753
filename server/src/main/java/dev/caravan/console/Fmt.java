package dev.caravan.console;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.context.MessageSource;

/**
 * Formats values for the page being rendered: dates and times in the user's locale and time zone (and in the
 * customer's zone where a customer's time is shown), numbers, percentages and money in the user's locale, and
 * translated display names of rule values (tiers, lifecycle stages, levels, tags, statuses). Exposed to templates as
 * {@code fmt}. Every method accepts null and then renders a dash.
 */
public final class Fmt {

    static final String NONE = "—";

    private final Locale locale;
    private final ZoneId zone;
    private final MessageSource messages;
    private final Map<String, ZoneId> countryZones;

    Fmt(Locale locale, ZoneId zone, MessageSource messages, Map<String, ZoneId> countryZones) {
        this.locale = locale;
        this.zone = zone;
        this.messages = messages;
        this.countryZones = countryZones;
    }

    /** {@code CC=Zone/Id} entries (the analytics feature's default zones per country) as a map. */
    static Map<String, ZoneId> countryZones(List<String> entries) {
        Map<String, ZoneId> out = new HashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq <= 0) continue;
            try {
                out.put(e.substring(0, eq).trim().toUpperCase(Locale.ROOT), ZoneId.of(e.substring(eq + 1).trim()));
            } catch (DateTimeException ignored) {
                // a malformed entry is the analytics feature's to report
            }
        }
        return out;
    }

    public Locale locale() { return locale; }

    public String zone() { return zone.getId(); }

    public String lang() { return locale.toLanguageTag(); }

    public String dateTime(Object value) {
        Instant i = instant(value);
        if (i == null) return NONE;
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale)
                .format(i.atZone(zone));
    }

    /** A machine-readable timestamp for {@code <time datetime>}. */
    public String iso(Object value) {
        Instant i = instant(value);
        return i == null ? "" : i.toString();
    }

    public String date(Object value) {
        if (value instanceof LocalDate d) {
            return DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale).format(d);
        }
        Instant i = instant(value);
        if (i == null) {
            if (value instanceof String s && !s.isBlank()) {
                try {
                    return date(LocalDate.parse(s));
                } catch (DateTimeException e) {
                    return s;
                }
            }
            return NONE;
        }
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale).format(i.atZone(zone));
    }

    /** The customer's zone: the profile's time zone, else the default zone of the profile's country, else null. */
    public String customerZone(String timezone, String country) {
        ZoneId z = zoneOf(timezone, country);
        return z == null ? null : z.getId();
    }

    /**
     * A time as the customer lived it: in their time zone (profile, else country default), with the zone's name,
     * e.g. "23 Nov 2026, 18:40 (Europe/Berlin)". Dash when unknown.
     */
    public String customerTime(Object value, String timezone, String country) {
        Instant i = instant(value);
        ZoneId z = zoneOf(timezone, country);
        if (i == null || z == null) return NONE;
        ZonedDateTime t = i.atZone(z);
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale).format(t)
                + " (" + z.getId() + ")";
    }

    private ZoneId zoneOf(String timezone, String country) {
        if (timezone != null && !timezone.isBlank()) {
            try {
                return ZoneId.of(timezone.trim());
            } catch (DateTimeException ignored) {
                // fall through to the country
            }
        }
        return country == null ? null : countryZones.get(country.toUpperCase(Locale.ROOT));
    }

    public String number(Object value) {
        if (value == null) return NONE;
        return NumberFormat.getNumberInstance(locale).format(toNumber(value));
    }

    public String decimal(Object value, int digits) {
        if (value == null) return NONE;
        NumberFormat f = NumberFormat.getNumberInstance(locale);
        f.setMinimumFractionDigits(digits);
        f.setMaximumFractionDigits(digits);
        return f.format(toNumber(value));
    }

    /** A share (0.25) as a percentage in the user's locale ("25.0%"). */
    public String percent(Object share) {
        if (share == null) return NONE;
        NumberFormat f = NumberFormat.getPercentInstance(locale);
        f.setMinimumFractionDigits(1);
        f.setMaximumFractionDigits(1);
        return f.format(toNumber(share));
    }

    /** An amount in a currency, in the user's locale (e.g. "€1,234.50" / "US$1,234.50"). */
    public String money(Object amount, String currency) {
        if (amount == null) return NONE;
        NumberFormat f = NumberFormat.getCurrencyInstance(locale);
        try {
            if (currency != null && !currency.isBlank()) {
                Currency c = Currency.getInstance(currency.trim().toUpperCase(Locale.ROOT));
                f.setCurrency(c);
                f.setMinimumFractionDigits(c.getDefaultFractionDigits() < 0 ? 2 : c.getDefaultFractionDigits());
                f.setMaximumFractionDigits(c.getDefaultFractionDigits() < 0 ? 2 : c.getDefaultFractionDigits());
            }
        } catch (IllegalArgumentException e) {
            return number(amount) + " " + currency;
        }
        return f.format(toNumber(amount));
    }

    /**
     * The translated display name of a value the rules or pipelines produce, e.g. {@code label('tier', 'core')};
     * values without a translation (a tag a rule author added) are shown as they are.
     */
    public String label(String kind, Object value) {
        if (value == null || value.toString().isBlank()) {
            return messages.getMessage("label.none", null, NONE, locale);
        }
        String v = value.toString();
        return messages.getMessage("label." + kind + "." + v, null, v, locale);
    }

    /** A message with arguments, for building strings in Java-side view models. */
    public String msg(String key, Object... args) {
        return messages.getMessage(key, args, key, locale);
    }

    static Instant instant(Object value) {
        if (value == null) return null;
        if (value instanceof Instant i) return i;
        if (value instanceof ZonedDateTime z) return z.toInstant();
        if (value instanceof java.util.Date d) return d.toInstant();
        if (value instanceof Number n) return Instant.ofEpochMilli(n.longValue());
        if (value instanceof String s && !s.isBlank()) {
            try {
                return Instant.parse(s);
            } catch (DateTimeException e) {
                return null;
            }
        }
        return null;
    }

    private static Number toNumber(Object value) {
        if (value instanceof BigDecimal b) return b;
        if (value instanceof Number n) return n;
        try {
            return new BigDecimal(value.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
