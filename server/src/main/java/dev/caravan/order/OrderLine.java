package dev.caravan.order;

import java.math.BigDecimal;

/**
 * One line of an order in the order's currency. {@code lineNo} is the line of the source file it came from
 * (imports), so an order split across non-adjacent rows is reassembled without duplicating lines.
 */
public record OrderLine(String sku, String title, String category, int quantity, BigDecimal unitPrice, Long lineNo) {

    public BigDecimal total() {
        return unitPrice == null ? BigDecimal.ZERO : unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
