package dev.caravan.money;

import java.time.LocalDate;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/rates")
@Tag(name = "Exchange rates", description = "Base currency and the ECB-format rates table used to convert amounts")
public class RatesController {

    private final ExchangeRateService rates;

    public RatesController(ExchangeRateService rates) {
        this.rates = rates;
    }

    public record RatesInfo(String baseCurrency, String source, LocalDate firstDate, LocalDate lastDate, int dates,
                            Set<String> currencies) {
    }

    @GetMapping
    @PreAuthorize("isAuthenticated()")
    @Operation(summary = "The base currency and a summary of the active rates table")
    public RatesInfo info() {
        ExchangeRateTable t = rates.table();
        return new RatesInfo(rates.baseCurrency(), rates.source(), t.firstDate(), t.lastDate(), t.dates(), t.currencies());
    }

    @PutMapping(consumes = {"text/csv", MediaType.TEXT_PLAIN_VALUE})
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Replace the rates with an ECB reference CSV (eurofxref.csv or eurofxref-hist.csv)",
            description = "The file is validated whole; on any error the current rates stay active. New amounts are "
                    + "converted with the new rates; stored amounts are not recomputed.")
    public RatesInfo replace(@RequestBody String csv) {
        rates.replace(csv);
        return info();
    }
}
