package dev.caravan.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

class ExchangeRateTableTest {

    /** The ECB's daily file: "Date, USD, JPY, ...", a day written out in English, a trailing comma. */
    static final String DAILY = "Date, USD, JPY, GBP, \n21 November 2026, 1.0500, 160.00, 0.8400, \n";

    static final String HISTORY = "Date,USD,GBP,JPY\n2026-11-20,1.05,0.84,160\n2011-06-01,1.40,0.88,N/A\n";

    @Test
    void readsTheDailyFileAndConvertsThroughTheEuro() throws Exception {
        ExchangeRateTable t = ExchangeRateTable.parse(new StringReader(DAILY));
        LocalDate day = LocalDate.of(2026, 11, 21);
        assertThat(t.convert(new BigDecimal("100"), "EUR", "USD", day)).isEqualByComparingTo("105.00");
        assertThat(t.convert(new BigDecimal("84"), "GBP", "USD", day)).isEqualByComparingTo("105.00");
        assertThat(t.convert(new BigDecimal("1.05"), "USD", "JPY", day)).isEqualByComparingTo("160"); // no minor unit
        assertThat(t.convert(new BigDecimal("1.05"), "USD", "JPY", day).scale()).isZero();
    }

    @Test
    void usesTheRatesOfTheOrderDate() throws Exception {
        ExchangeRateTable t = ExchangeRateTable.parse(new StringReader(HISTORY));
        assertThat(t.convert(new BigDecimal("88"), "GBP", "USD", LocalDate.of(2011, 12, 1))).isEqualByComparingTo("140.00");
        assertThat(t.convert(new BigDecimal("84"), "GBP", "USD", LocalDate.of(2026, 12, 1))).isEqualByComparingTo("105.00");
        // Before the first row: the oldest rates.
        assertThat(t.convert(new BigDecimal("88"), "GBP", "USD", LocalDate.of(2001, 1, 1))).isEqualByComparingTo("140.00");
        assertThat(t.knows("JPY", LocalDate.of(2011, 12, 1))).isFalse();
        assertThatThrownBy(() -> t.convert(BigDecimal.ONE, "JPY", "USD", LocalDate.of(2011, 12, 1)))
                .isInstanceOf(UnknownCurrencyException.class).hasMessageContaining("JPY");
    }

    @Test
    void rejectsBrokenFilesWithTheLine() {
        assertThatThrownBy(() -> ExchangeRateTable.parse(new StringReader("Date,USD\n2026-01-01,abc\n")))
                .hasMessage("line 2: rate for USD is not a positive number: 'abc'");
        assertThatThrownBy(() -> ExchangeRateTable.parse(new StringReader("Day,USD\n2026-01-01,1\n")))
                .hasMessageContaining("'Date' column");
        assertThatThrownBy(() -> ExchangeRateTable.parse(new StringReader("Date,XYZW\n2026-01-01,1\n")))
                .hasMessageContaining("ISO 4217");
    }
}
