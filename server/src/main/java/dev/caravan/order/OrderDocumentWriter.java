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
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.convert.WritingConverter;

/**
 * Writes and reads {@link Order} documents by hand: imports write and re-read hundreds of thousands of order lines,
 * and reflective mapping was the largest client-side cost. Field names are those of the default mapping.
 */
@Configuration(proxyBeanMethods = false)
class OrderDocumentWriter {

    @Bean
    StoreConverters orderConverters() {
        return new StoreConverters(List.of(new OrderToDocument(), new DocumentToOrder()));
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

    @ReadingConverter
    static final class DocumentToOrder implements Converter<Document, Order> {
        @Override
        public Order convert(Document d) {
            List<Document> lineDocs = d.getList("lines", Document.class);
            List<OrderLine> lines = null;
            if (lineDocs != null) {
                lines = new ArrayList<>(lineDocs.size());
                for (Document l : lineDocs) {
                    Number qty = (Number) l.get("quantity");
                    Number lineNo = (Number) l.get("lineNo");
                    lines.add(new OrderLine(l.getString("sku"), l.getString("title"), l.getString("category"),
                            qty == null ? 0 : qty.intValue(), decimal(l.get("unitPrice")),
                            lineNo == null ? null : lineNo.longValue()));
                }
            }
            return new Order(d.getString("_id"), d.getString("platform"), d.getString("storeId"),
                    d.getString("externalId"), d.getString("customerId"), d.getString("identityKey"),
                    Boolean.TRUE.equals(d.getBoolean("guest")), lines, d.getString("currency"), decimal(d.get("total")),
                    decimal(d.get("totalBase")), d.getString("baseCurrency"), d.getString("status"),
                    instant(d.get("placedAt")), instant(d.get("shippedAt")), instant(d.get("deliveredAt")),
                    instant(d.get("cancelledAt")), d.getList("couponCodes", String.class), d.getString("country"),
                    d.getString("source"));
        }

        private static BigDecimal decimal(Object v) {
            if (v instanceof Decimal128 d) return d.bigDecimalValue();
            if (v instanceof Number n) return new BigDecimal(n.toString());
            return null;
        }

        private static Instant instant(Object v) {
            return v instanceof Date date ? date.toInstant() : null;
        }
    }
}
