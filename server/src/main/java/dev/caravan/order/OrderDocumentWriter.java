package dev.caravan.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import dev.caravan.common.store.StoreConverters;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.WritingConverter;

/**
 * Writes {@link Order} documents by hand: imports write hundreds of thousands of order lines, and reflective
 * mapping was the largest client-side cost. Field names match the default mapping, so reading stays reflective.
 */
@Configuration(proxyBeanMethods = false)
class OrderDocumentWriter {

    @Bean
    StoreConverters orderConverters() {
        return new StoreConverters(List.of(new OrderToDocument()));
    }

    @WritingConverter
    static final class OrderToDocument implements Converter<Order, Document> {
        @Override
        public Document convert(Order o) {
            Document d = new Document("_id", o.id());
            put(d, "platform", o.platform());
            put(d, "storeId", o.storeId());
            put(d, "externalId", o.externalId());
            put(d, "customerId", o.customerId());
            put(d, "identityKey", o.identityKey());
            d.put("guest", o.guest());
            if (o.lines() != null) {
                List<Document> lines = new ArrayList<>(o.lines().size());
                for (OrderLine l : o.lines()) {
                    Document line = new Document();
                    put(line, "sku", l.sku());
                    put(line, "title", l.title());
                    put(line, "category", l.category());
                    line.put("quantity", l.quantity());
                    put(line, "unitPrice", decimal(l.unitPrice()));
                    put(line, "lineNo", l.lineNo());
                    lines.add(line);
                }
                d.put("lines", lines);
            }
            put(d, "currency", o.currency());
            put(d, "total", decimal(o.total()));
            put(d, "totalBase", decimal(o.totalBase()));
            put(d, "baseCurrency", o.baseCurrency());
            put(d, "status", o.status());
            put(d, "placedAt", date(o.placedAt()));
            put(d, "shippedAt", date(o.shippedAt()));
            put(d, "deliveredAt", date(o.deliveredAt()));
            put(d, "cancelledAt", date(o.cancelledAt()));
            put(d, "couponCodes", o.couponCodes());
            put(d, "country", o.country());
            put(d, "source", o.source());
            return d;
        }

        private static void put(Document d, String key, Object value) {
            if (value != null) d.put(key, value);
        }

        private static Decimal128 decimal(BigDecimal v) {
            return v == null ? null : new Decimal128(v);
        }

        private static Date date(Instant i) {
            return i == null ? null : Date.from(i);
        }
    }
}
