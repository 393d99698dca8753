package dev.caravan.messaging;

import java.time.LocalDate;

/**
 * Says which days are holidays for a customer's country; marketing messages falling on one are deferred to the next
 * working morning (templates declaring {@code sendOnHolidays: true}, such as holiday greetings, are not). Every bean
 * of this type is asked; a day is a holiday when any says so. The default reads
 * {@code caravan.messaging.holidays}; workflows can add calendars as further beans.
 */
public interface HolidayCalendar {

    /** @param country ISO 3166-1 alpha-2 code, or null when the customer's country is unknown */
    boolean isHoliday(LocalDate date, String country);
}
