package dev.caravan.messaging;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import dev.caravan.customer.Customer;
import org.springframework.stereotype.Component;

/**
 * Quiet hours in the customer's own time zone, and holidays: marketing that would arrive then is deferred to the
 * end of the quiet hours on the next working day, never dropped.
 */
@Component
class DeliveryWindow {

    record Deferral(Instant until, Reason reason) {
    }

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final MessagingProperties.QuietHours quiet;
    private final List<HolidayCalendar> calendars;

    DeliveryWindow(MessagingProperties props, List<HolidayCalendar> calendars) {
        this.quiet = props.quietHours();
        this.calendars = calendars;
    }

    ZoneId zoneOf(Customer c) {
        if (c.getTimezone() != null && !c.getTimezone().isBlank()) {
            try {
                return ZoneId.of(c.getTimezone());
            } catch (DateTimeException ignored) {
                // fall back to the default zone
            }
        }
        return ZoneId.of(quiet.defaultZone());
    }

    /** Null when a marketing message may go out at {@code now}; else when it may, and why it waits. */
    Deferral next(Customer c, Instant now, boolean sendOnHolidays) {
        ZoneId zone = zoneOf(c);
        ZonedDateTime t = now.atZone(zone);
        String reasonCode = null;
        String why = null;
        for (int i = 0; i < 400; i++) {
            LocalDate day = t.toLocalDate();
            if (!sendOnHolidays && holiday(day, c.getCountry())) {
                t = day.plusDays(1).atTime(morning()).atZone(zone);
                if (reasonCode == null) {
                    reasonCode = Reason.HOLIDAY;
                    why = day + " is a holiday";
                }
                continue;
            }
            if (inQuietHours(t.toLocalTime())) {
                t = quietEnd(t);
                if (reasonCode == null) {
                    reasonCode = Reason.QUIET_HOURS;
                    why = "quiet hours " + quiet.start() + "-" + quiet.end();
                }
                continue;
            }
            break;
        }
        if (reasonCode == null) {
            return null;
        }
        return new Deferral(t.toInstant(), new Reason(reasonCode, why + " in " + zone.getId() + "; deferred to "
                + LOCAL.format(t) + " local time"));
    }

    private boolean holiday(LocalDate day, String country) {
        for (HolidayCalendar cal : calendars) {
            if (cal.isHoliday(day, country)) return true;
        }
        return false;
    }

    private LocalTime morning() {
        return quiet.enabled() ? quiet.end() : LocalTime.of(9, 0);
    }

    boolean inQuietHours(LocalTime t) {
        if (!quiet.enabled() || quiet.start().equals(quiet.end())) return false;
        if (quiet.start().isBefore(quiet.end())) {
            return !t.isBefore(quiet.start()) && t.isBefore(quiet.end());
        }
        return !t.isBefore(quiet.start()) || t.isBefore(quiet.end());
    }

    private ZonedDateTime quietEnd(ZonedDateTime t) {
        LocalDate day = t.toLocalDate();
        if (quiet.start().isAfter(quiet.end()) && !t.toLocalTime().isBefore(quiet.start())) {
            day = day.plusDays(1);
        }
        return day.atTime(quiet.end()).atZone(t.getZone());
    }
}
