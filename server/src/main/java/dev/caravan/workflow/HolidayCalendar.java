package dev.caravan.workflow;

import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The marketer-editable holiday calendar ({@code workflows/holidays.csv}): which holidays fall on which dates in
 * which countries. Read by the holiday scan (which starts the holiday journey) and by waits that skip public holidays.
 */
final class HolidayCalendar {

    /** One row of the calendar: either a fixed date or a yearly month-day. */
    record Holiday(String id, String name, LocalDate date, MonthDay yearly, Set<String> countries, String kind,
                   String template) {

        boolean on(LocalDate day) {
            return date != null ? date.equals(day) : MonthDay.from(day).equals(yearly);
        }

        boolean in(String country) {
            return countries.contains("*") || (country != null && countries.contains(country.toUpperCase(Locale.ROOT)));
        }

        /** The id of this holiday's occurrence in a year (unique per year, for de-duplication). */
        String occurrence(LocalDate day) {
            return date != null ? id : id + "-" + day.getYear();
        }
    }

    private final List<Holiday> holidays;
    private final String source;

    private HolidayCalendar(List<Holiday> holidays, String source) {
        this.holidays = List.copyOf(holidays);
        this.source = source;
    }

    static HolidayCalendar empty() {
        return new HolidayCalendar(List.of(), "");
    }

    List<Holiday> holidays() {
        return holidays;
    }

    String source() {
        return source;
    }

    List<Holiday> on(LocalDate day) {
        return holidays.stream().filter(h -> h.on(day)).toList();
    }

    boolean isHoliday(String country, LocalDate day) {
        return holidays.stream().anyMatch(h -> "public".equals(h.kind()) && h.in(country) && h.on(day));
    }

    /** Parses the CSV; lines starting with # are comments. Throws IllegalArgumentException naming the bad line. */
    static HolidayCalendar parse(String csv) {
        StringBuilder body = new StringBuilder();
        csv.lines().filter(l -> !l.stripLeading().startsWith("#")).forEach(l -> body.append(l).append('\n'));
        List<Holiday> out = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        try {
            var records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                    .setIgnoreEmptyLines(true).get().parse(new StringReader(body.toString()));
            for (String column : List.of("id", "name", "date", "countries", "kind", "template")) {
                if (!records.getHeaderMap().containsKey(column)) {
                    throw new IllegalArgumentException("the holiday calendar needs a column '" + column + "'");
                }
            }
            for (CSVRecord r : records) {
                String id = r.get("id");
                String where = "holiday calendar row " + r.getRecordNumber() + " (" + id + "): ";
                if (!JourneyId.VALID.matcher(id).matches()) throw new IllegalArgumentException(where + "bad id");
                if (!ids.add(id)) throw new IllegalArgumentException(where + "duplicate id");
                String date = r.get("date");
                LocalDate fixed = null;
                MonthDay yearly = null;
                try {
                    if (date.startsWith("--")) yearly = MonthDay.parse(date);
                    else fixed = LocalDate.parse(date);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(where + "date must be yyyy-mm-dd or --mm-dd, not '" + date + "'");
                }
                Set<String> countries = new LinkedHashSet<>();
                Arrays.stream(r.get("countries").split("[\\s,;]+")).filter(s -> !s.isBlank())
                        .forEach(s -> countries.add(s.toUpperCase(Locale.ROOT)));
                if (countries.isEmpty()) throw new IllegalArgumentException(where + "no countries");
                String kind = r.get("kind");
                if (!Set.of("public", "commercial", "religious").contains(kind)) {
                    throw new IllegalArgumentException(where + "kind must be public, commercial or religious");
                }
                out.add(new Holiday(id, r.get("name"), fixed, yearly, countries, kind, r.get("template")));
            }
        } catch (IOException | IllegalStateException e) {
            throw new IllegalArgumentException("the holiday calendar is not valid CSV: " + e.getMessage());
        }
        return new HolidayCalendar(out, csv);
    }
}
