package dev.caravan.messaging;

import java.time.LocalDate;
import java.time.MonthDay;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.stereotype.Component;

/**
 * Holidays from {@code caravan.messaging.holidays}: {@code 2026-12-25} (every country), {@code 12-25} (every year),
 * {@code CN:2026-10-01} or {@code DE:12-26} (one country). The simple hook until workflows bring holiday calendars.
 */
@Component
class ConfiguredHolidays implements HolidayCalendar {

    private record Entry(String country, LocalDate date, MonthDay yearly) {
        boolean matches(LocalDate d, String c) {
            if (country != null && (c == null || !country.equalsIgnoreCase(c))) return false;
            return date != null ? date.equals(d) : yearly.equals(MonthDay.from(d));
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    ConfiguredHolidays(MessagingProperties props) {
        for (String raw : props.holidays()) {
            if (raw == null || raw.isBlank()) continue;
            String s = raw.trim();
            String country = null;
            int colon = s.indexOf(':');
            if (colon > 0) {
                country = s.substring(0, colon).toUpperCase(Locale.ROOT);
                s = s.substring(colon + 1);
            }
            try {
                if (s.length() == 10) {
                    entries.add(new Entry(country, LocalDate.parse(s), null));
                } else {
                    entries.add(new Entry(country, null, MonthDay.parse("--" + s.replaceFirst("^\\*-", ""))));
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException("caravan.messaging.holidays: '" + raw
                        + "' is not YYYY-MM-DD, MM-DD or COUNTRY:date");
            }
        }
    }

    @Override
    public boolean isHoliday(LocalDate date, String country) {
        return entries.stream().anyMatch(e -> e.matches(date, country));
    }
}
