package dev.caravan.money;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Euro reference rates by date, read from the ECB's CSV format ({@code eurofxref.csv} for one day or
 * {@code eurofxref-hist.csv} for a history): a {@code Date} column, then one column per currency holding
 * how many units of it buy one euro. Converting uses the newest rates on or before the given date
 * (the oldest row for earlier dates), so historical orders keep the rate of their time.
 */
public final class ExchangeRateTable {

    private static final DateTimeFormatter ECB_DAILY_DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);
    private static final MathContext PRECISION = MathContext.DECIMAL64;

    private final NavigableMap<LocalDate, Map<String, BigDecimal>> ratesByDate;

    private ExchangeRateTable(NavigableMap<LocalDate, Map<String, BigDecimal>> ratesByDate) {
        this.ratesByDate = ratesByDate;
    }

    /** Parses an ECB CSV. Throws {@link IllegalArgumentException} naming the line of the first bad value. */
    public static ExchangeRateTable parse(Reader reader) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true)
                .setAllowMissingColumnNames(true).get(); // the ECB ends each line with a comma
        NavigableMap<LocalDate, Map<String, BigDecimal>> rates = new TreeMap<>();
        try (CSVParser parser = CSVParser.parse(reader, format)) {
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty() || !header.get(0).equalsIgnoreCase("Date")) {
                throw new IllegalArgumentException("rates CSV must start with a 'Date' column (ECB reference format)");
            }
            for (CSVRecord row : parser) {
                long line = row.getRecordNumber() + 1;
                LocalDate date = parseDate(row.get(0), line);
                Map<String, BigDecimal> day = new HashMap<>();
                day.put("EUR", BigDecimal.ONE);
                for (int i = 1; i < header.size() && i < row.size(); i++) {
                    String code = header.get(i).trim().toUpperCase(Locale.ROOT);
                    String value = row.get(i).trim();
                    if (code.isEmpty() || value.isEmpty() || value.equalsIgnoreCase("N/A")) {
                        continue;
                    }
                    requireCurrency(code);
                    try {
                        BigDecimal rate = new BigDecimal(value);
                        if (rate.signum() <= 0) {
                            throw new NumberFormatException();
                        }
                        day.put(code, rate);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("line " + line + ": rate for " + code
                                + " is not a positive number: '" + value + "'");
                    }
                }
                rates.put(date, Collections.unmodifiableMap(day));
            }
        }
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("rates CSV has no rows");
        }
        return new ExchangeRateTable(rates);
    }

    private static LocalDate parseDate(String text, long line) {
        String s = text.trim();
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(s, ECB_DAILY_DATE);
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("line " + line + ": date '" + s
                        + "' is neither yyyy-MM-dd nor the ECB's 'd MMMM yyyy'");
            }
        }
    }

    private static void requireCurrency(String code) {
        try {
            Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + code + "' is not an ISO 4217 currency code");
        }
    }

    public boolean knows(String currency, LocalDate date) {
        return ratesOn(date).containsKey(currency);
    }

    public Set<String> currencies() {
        Set<String> all = new TreeSet<>();
        ratesByDate.values().forEach(m -> all.addAll(m.keySet()));
        return all;
    }

    public LocalDate firstDate() {
        return ratesByDate.firstKey();
    }

    public LocalDate lastDate() {
        return ratesByDate.lastKey();
    }

    public int dates() {
        return ratesByDate.size();
    }

    /**
     * Converts an amount between currencies at the rates valid on a date, rounded to the target currency's
     * minor unit (banker's rounding). Throws {@link UnknownCurrencyException} when a rate is missing.
     */
    public BigDecimal convert(BigDecimal amount, String from, String to, LocalDate date) {
        if (from.equals(to)) {
            return amount.setScale(fractionDigits(to), RoundingMode.HALF_EVEN);
        }
        Map<String, BigDecimal> day = ratesOn(date);
        BigDecimal fromRate = day.get(from);
        BigDecimal toRate = day.get(to);
        if (fromRate == null || toRate == null) {
            throw new UnknownCurrencyException(fromRate == null ? from : to, date);
        }
        return amount.multiply(toRate, PRECISION).divide(fromRate, PRECISION)
                .setScale(fractionDigits(to), RoundingMode.HALF_EVEN);
    }

    private Map<String, BigDecimal> ratesOn(LocalDate date) {
        Map.Entry<LocalDate, Map<String, BigDecimal>> entry = ratesByDate.floorEntry(date);
        return (entry != null ? entry : ratesByDate.firstEntry()).getValue();
    }

    public static int fractionDigits(String currency) {
        int digits = Currency.getInstance(currency).getDefaultFractionDigits();
        return digits < 0 ? 2 : digits;
    }
}
