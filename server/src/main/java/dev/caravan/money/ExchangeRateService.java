package dev.caravan.money;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.Currency;

import dev.caravan.common.CaravanProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Service;

/**
 * Holds the active rates table. It starts from {@code <data-dir>/rates/eurofxref.csv} when an operator has
 * put one there (or uploaded one), otherwise from the bundled default; a replacement is validated whole before
 * it is swapped in, so a broken file never replaces working rates.
 */
@Service
public class ExchangeRateService {

    private static final Logger log = LoggerFactory.getLogger(ExchangeRateService.class);
    static final String BUNDLED = "rates/default-rates.csv";

    private final String baseCurrency;
    private final Path ratesFile;
    private volatile ExchangeRateTable table;
    private volatile String source;

    public ExchangeRateService(MoneyProperties props, CaravanProperties caravan) {
        this.baseCurrency = props.baseCurrency().toUpperCase();
        Currency.getInstance(baseCurrency); // fail fast on a misspelt base currency
        this.ratesFile = caravan.resolve("rates/eurofxref.csv");
        load();
    }

    private void load() {
        try {
            if (Files.isRegularFile(ratesFile)) {
                table = ExchangeRateTable.parse(Files.newBufferedReader(ratesFile, StandardCharsets.UTF_8));
                source = ratesFile.toString();
            } else {
                try (InputStream in = new ClassPathResource(BUNDLED).getInputStream()) {
                    table = ExchangeRateTable.parse(new InputStreamReader(in, StandardCharsets.UTF_8));
                }
                source = "bundled default (" + BUNDLED + ")";
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!table.currencies().contains(baseCurrency)) {
            throw new IllegalStateException("the rates table has no rate for the base currency " + baseCurrency);
        }
        log.info("Exchange rates: {} dates from {} to {}, {}", table.dates(), table.firstDate(), table.lastDate(), source);
    }

    /** Validates and activates a new ECB CSV, keeping a copy under the data directory for restarts. */
    public ExchangeRateTable replace(String csv) {
        ExchangeRateTable candidate;
        try {
            candidate = ExchangeRateTable.parse(new StringReader(csv));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the rates CSV: " + e.getMessage());
        }
        if (!candidate.currencies().contains(baseCurrency)) {
            throw new IllegalArgumentException("the rates have no column for the base currency " + baseCurrency);
        }
        try {
            Files.createDirectories(ratesFile.getParent());
            Path tmp = Files.createTempFile(ratesFile.getParent(), "rates", ".csv");
            Files.writeString(tmp, csv, StandardCharsets.UTF_8);
            Files.move(tmp, ratesFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        table = candidate;
        source = ratesFile.toString();
        return candidate;
    }

    public String baseCurrency() {
        return baseCurrency;
    }

    public ExchangeRateTable table() {
        return table;
    }

    public String source() {
        return source;
    }

    public BigDecimal toBase(BigDecimal amount, String currency, LocalDate date) {
        return table.convert(amount, currency, baseCurrency, date);
    }
}
