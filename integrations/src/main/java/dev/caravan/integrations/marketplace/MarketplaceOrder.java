package dev.caravan.integrations.marketplace;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An order read from a platform, already in Caravan's vocabulary: {@code status} is one of placed, paid, shipped,
 * delivered, cancelled, refunded. Amounts keep the platform's currency; the server converts.
 *
 * @param buyer      null for orders without buyer information (e.g. Amazon without the PII role)
 * @param updatedAt  the platform's last-modified time (drives polling windows and "live" detection)
 */
public record MarketplaceOrder(
        MarketplaceType platform,
        String storeId,
        String orderId,
        String status,
        Instant placedAt,
        Instant updatedAt,
        Instant shippedAt,
        Instant deliveredAt,
        Instant cancelledAt,
        String currency,
        BigDecimal total,
        List<MarketplaceLine> lines,
        MarketplaceBuyer buyer,
        String shipCountry,
        List<String> couponCodes,
        List<MarketplaceRefund> refunds) {

    public MarketplaceOrder {
        lines = lines == null ? null : List.copyOf(lines);
        couponCodes = couponCodes == null ? List.of() : List.copyOf(couponCodes);
        refunds = refunds == null ? List.of() : List.copyOf(refunds);
    }

    public MarketplaceOrder withLines(List<MarketplaceLine> newLines) {
        return new MarketplaceOrder(platform, storeId, orderId, status, placedAt, updatedAt, shippedAt, deliveredAt,
                cancelledAt, currency, total, newLines, buyer, shipCountry, couponCodes, refunds);
    }
}
