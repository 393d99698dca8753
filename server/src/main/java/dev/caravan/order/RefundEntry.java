package dev.caravan.order;

import java.math.BigDecimal;
import java.time.Instant;

/** One return, refund or cancellation in a customer's purchase history; amount in the base currency. */
public record RefundEntry(String key, Instant at, BigDecimal amountBase) {

    static RefundEntry of(ReturnRecord r) {
        return new RefundEntry(r.id(), r.at(), r.amountBase());
    }
}
