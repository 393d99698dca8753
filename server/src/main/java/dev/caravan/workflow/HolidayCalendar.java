package dev.caravan.workflow;

import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The marketer-editable holiday calendar ({@code workflows/holidays.csv}): which holidays fall on which dates in
 * which countries. Read by the holiday scan (which starts the holiday journey) and by waits that skip public holidays.
 */
final class HolidayCalendar {

    /**
     * One row of the calendar: either a fixed date or a yearly month-day.
     *
     * @param names the name in other languages (columns {@code name_<language>}), by BCP 47 tag
     */
    record Holiday(String id, String name, LocalDate date, MonthDay yearly, Set<String> countries, String kind,
                   String template, Map<String, String> names) {

        Holiday {
            names = names == null ? Map.of() : Map.copyOf(names);
        }

        /** The name in this language: the exact tag, then any region of the language, else {@link #name}. */
        String name(String language) {
            if (language == null || language.isBlank() || names.isEmpty()) return name;
            String tag = Locale.forLanguageTag(language.replace('_', '-')).toLanguageTag();
            String exact = names.get(tag);
            if (exact != null) return exact;
            String base = Locale.forLanguageTag(tag).getLanguage();
            return names.entrySet().stream().filter(e -> Locale.forLanguageTag(e.getKey()).getLanguage().equals(base))
                    .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).findFirst().orElse(name);
        }

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

    private static final Pattern LANGUAGE = Pattern.compile("^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$");

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

    /** The holiday of an occurrence id as the holiday scan gives it (the id, or the id and the year). */
    Holiday occurrence(String occurrenceId) {
        if (occurrenceId == null) return null;
        for (Holiday h : holidays) {
            if (h.id().equals(occurrenceId)) return h;
            if (h.yearly() != null && occurrenceId.startsWith(h.id() + "-")
                    && occurrenceId.substring(h.id().length() + 1).matches("\\d{4}")) {
                return h;
            }
        }
        return null;
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
            Map<String, String> nameColumns = new LinkedHashMap<>(); // column -> language tag
            for (String column : records.getHeaderMap().keySet()) {
                if (!column.startsWith("name_")) continue;
                String language = column.substring("name_".length()).replace('_', '-');
                if (!LANGUAGE.matcher(language).matches()) {
                    throw new IllegalArgumentException("the holiday calendar's column '" + column
                            + "' must be name_ and a language tag, such as name_zh-CN");
                }
                nameColumns.put(column, Locale.forLanguageTag(language).toLanguageTag());
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
                Map<String, String> names = new LinkedHashMap<>();
                nameColumns.forEach((column, language) -> {
                    if (r.isSet(column) && !r.get(column).isBlank()) names.put(language, r.get(column));
                });
                out.add(new Holiday(id, r.get("name"), fixed, yearly, countries, kind, r.get("template"), names));
            }
        } catch (IOException | IllegalStateException e) {
            throw new IllegalArgumentException("the holiday calendar is not valid CSV: " + e.getMessage());
        }
        return new HolidayCalendar(out, csv);
    }
}
