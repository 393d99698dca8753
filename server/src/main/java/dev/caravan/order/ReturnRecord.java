package dev.caravan.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A return, refund or cancellation invoice. {@code amount} is positive money given back, in {@code currency},
 * and converted to the base currency in {@code amountBase}.
 *
 * @param kind {@code refund}, {@code return} or {@code cancellation}
 */
@Document("returns")
public record ReturnRecord(
        @MongoId(FieldType.STRING) String id,
        String platform,
        String storeId,
        String orderId,
        String orderKey,
        @Indexed String customerId,
        String identityKey,
        String kind,
        List<OrderLine> lines,
        String currency,
        BigDecimal amount,
        BigDecimal amountBase,
        String reason,
        Instant at,
        String source) {
}
