package dev.caravan.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;

import dev.caravan.customer.Customer;
import org.junit.jupiter.api.Test;
import org.springframework.test.util.ReflectionTestUtils;

/** Quiet hours and holidays without a server: the arithmetic of deferral in the customer's zone. */
class DeliveryWindowTest {

    private static Customer customer(String zone, String country) {
        Customer c = new Customer("c", Instant.EPOCH);
        ReflectionTestUtils.setField(c, "timezone", zone);
        ReflectionTestUtils.setField(c, "country", country);
        return c;
    }

    private static DeliveryWindow window(LocalTime start, LocalTime end, HolidayCalendar... calendars) {
        MessagingProperties p = new MessagingProperties(16, 100, Duration.ofSeconds(1), Duration.ofMinutes(2), null,
                "http://x", null, "en", new MessagingProperties.Shop("s", "u", null), List.of("inbox"),
                Duration.ofHours(24), new MessagingProperties.FrequencyCap(1, Duration.ofHours(24), "suppress"),
                new MessagingProperties.QuietHours(true, start, end, "UTC"), List.of(),
                new MessagingProperties.Retry(3, Duration.ofSeconds(1), 2, Duration.ofMinutes(1)),
                new MessagingProperties.Attribution(Duration.ofDays(7)),
                new MessagingProperties.Rates(1, 1, 1, 1, 1), null, null);
        return new DeliveryWindow(p, List.of(calendars));
    }

    @Test
    void overnightQuietHoursEndTheNextMorningOrTheSameMorning() {
        DeliveryWindow w = window(LocalTime.of(21, 0), LocalTime.of(8, 0));
        Customer tokyo = customer("Asia/Tokyo", "JP");
        // 23:30 Tokyo -> 08:00 next day Tokyo
        assertThat(w.next(tokyo, Instant.parse("2026-11-23T14:30:00Z"), false).until())
                .isEqualTo(Instant.parse("2026-11-23T23:00:00Z"));
        // 05:00 Tokyo -> 08:00 the same day
        assertThat(w.next(tokyo, Instant.parse("2026-11-22T20:00:00Z"), false).until())
                .isEqualTo(Instant.parse("2026-11-22T23:00:00Z"));
        // 12:00 Tokyo -> no deferral
        assertThat(w.next(tokyo, Instant.parse("2026-11-23T03:00:00Z"), false)).isNull();
    }

    @Test
    void daytimeQuietHoursAndUnknownZonesUseTheDefault() {
        DeliveryWindow w = window(LocalTime.of(12, 0), LocalTime.of(14, 0));
        Customer nowhere = customer("Not/AZone", null);
        assertThat(w.next(nowhere, Instant.parse("2026-11-23T13:00:00Z"), false).until())
                .isEqualTo(Instant.parse("2026-11-23T14:00:00Z"));
        assertThat(w.next(nowhere, Instant.parse("2026-11-23T14:00:00Z"), false)).isNull();
    }

    @Test
    void consecutiveHolidaysMoveToTheFirstWorkingMorningUnlessTheTemplateSendsOnHolidays() {
        Set<String> days = Set.of("2026-10-01", "2026-10-02", "2026-10-03");
        DeliveryWindow w = window(LocalTime.of(21, 0), LocalTime.of(8, 0),
                (date, country) -> "CN".equals(country) && days.contains(date.toString()));
        Customer shanghai = customer("Asia/Shanghai", "CN");
        DeliveryWindow.Deferral d = w.next(shanghai, Instant.parse("2026-10-01T04:00:00Z"), false);
        assertThat(d.until()).isEqualTo(Instant.parse("2026-10-04T00:00:00Z")); // 08:00 on 4 October in Shanghai
        assertThat(d.reason().code()).isEqualTo(Reason.HOLIDAY);
        assertThat(w.next(shanghai, Instant.parse("2026-10-01T04:00:00Z"), true)).isNull();
        assertThat(w.next(customer("Europe/Berlin", "DE"), Instant.parse("2026-10-01T10:00:00Z"), false)).isNull();
    }

    @Test
    void configuredHolidaysReadDatesYearlyDaysAndCountries() {
        MessagingProperties base = new MessagingProperties(16, 100, Duration.ofSeconds(1), Duration.ofMinutes(2), null,
                "http://x", null, "en", new MessagingProperties.Shop("s", "u", null), List.of(), Duration.ofHours(24),
                new MessagingProperties.FrequencyCap(1, Duration.ofHours(24), "suppress"),
                new MessagingProperties.QuietHours(true, LocalTime.of(21, 0), LocalTime.of(8, 0), "UTC"),
                List.of("2026-12-24", "12-25", "CN:2026-02-17", "DE:10-03"),
                new MessagingProperties.Retry(3, Duration.ofSeconds(1), 2, Duration.ofMinutes(1)),
                new MessagingProperties.Attribution(Duration.ofDays(7)), new MessagingProperties.Rates(1, 1, 1, 1, 1),
                null, null);
        ConfiguredHolidays h = new ConfiguredHolidays(base);
        assertThat(h.isHoliday(java.time.LocalDate.parse("2026-12-24"), "US")).isTrue();
        assertThat(h.isHoliday(java.time.LocalDate.parse("2031-12-25"), null)).isTrue();
        assertThat(h.isHoliday(java.time.LocalDate.parse("2026-02-17"), "CN")).isTrue();
        assertThat(h.isHoliday(java.time.LocalDate.parse("2026-02-17"), "US")).isFalse();
        assertThat(h.isHoliday(java.time.LocalDate.parse("2027-10-03"), "DE")).isTrue();
    }
}
