package dev.caravan.money;

import java.time.LocalDate;

/** No exchange rate is known for a currency: the record using it is rejected with this message. */
public class UnknownCurrencyException extends IllegalArgumentException {

    public UnknownCurrencyException(String currency, LocalDate date) {
        super("no exchange rate for currency '" + currency + "' on " + date
                + " (load rates with PUT /api/v1/rates)");
    }
}
