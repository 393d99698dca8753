package dev.caravan.ingest.imports;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.caravan.customer.ContactNormalizer;
import dev.caravan.customer.ProfileInput;
import dev.caravan.money.ExchangeRateService;
import dev.caravan.order.OrderInput;
import dev.caravan.order.OrderLine;
import dev.caravan.order.OrderStatus;
import org.apache.commons.csv.CSVRecord;

/**
 * Orders, one row per order or one row per order line (adjacent rows with the same platform, store and order id).
 * Required: platform, order_id, buyer_id, placed_at (ISO-8601 with offset), currency, total. Order-level values
 * come from the order's first row; sku/title/category/quantity/unit_price make a line.
 */
class CaravanOrdersFormat implements ImportFormat {

    static final List<String> REQUIRED = List.of("platform", "order_id", "buyer_id", "placed_at", "currency", "total");
    static final Set<String> ORDER_COLUMNS = Set.of("order_id", "placed_at", "total", "status", "sku", "title",
            "category", "quantity", "unit_price", "coupon_codes", "ship_country");

    private final ContactNormalizer normalizer;
    private final ExchangeRateService rates;
    private final String source;
    private Columns cols;
    private Group current;
    private final Set<String> seen = new HashSet<>();

    CaravanOrdersFormat(ContactNormalizer normalizer, ExchangeRateService rates, String source) {
        this.normalizer = normalizer;
        this.rates = rates;
        this.source = source;
    }

    private static final class Group {
        final String key;
        final ProfileInput profile;
        final OrderInput head;
        final List<OrderLine> lines = new ArrayList<>();
        final List<Long> lineNos = new ArrayList<>();

        Group(String key, ProfileInput profile, OrderInput head) {
            this.key = key;
            this.profile = profile;
            this.head = head;
        }
    }

    @Override
    public List<String> start(List<String> header) {
        cols = new Columns(header);
        List<String> missing = cols.missing(REQUIRED);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("an orders file needs the columns " + REQUIRED + "; missing " + missing);
        }
        Set<String> known = new HashSet<>(ProfileColumns.COLUMNS);
        known.addAll(ORDER_COLUMNS);
        return cols.unknown(known, ProfileColumns.PREFIXES).stream()
                .map(c -> "unknown column '" + c + "' ignored").toList();
    }

    @Override
    public void row(CSVRecord row, long line, RowSink sink) throws RowException {
        String platform = cols.required(row, "platform").toLowerCase(java.util.Locale.ROOT);
        String store = cols.get(row, "store_id");
        String orderId = cols.required(row, "order_id");
        String key = platform + "/" + (store == null ? "" : store) + "/" + orderId;
        if (current != null && !current.key.equals(key)) flush(sink);

        OrderLine orderLine = line(row, line);
        if (current == null) {
            Instant placedAt = instant(cols.required(row, "placed_at"));
            String currency = ProfileColumns.normalised(cols, row, "currency", normalizer::currency);
            if (currency == null) throw new RowException("currency is empty");
            if (!rates.table().knows(currency, LocalDate.ofInstant(placedAt, ZoneOffset.UTC))) {
                throw new RowException("no exchange rate is loaded for " + currency);
            }
            BigDecimal total = cols.decimal(row, "total");
            if (total == null) throw new RowException("total is empty");
            String status = ProfileColumns.normalised(cols, row, "status", OrderStatus::parse);
            String coupons = cols.get(row, "coupon_codes");
            ProfileInput profile = ProfileColumns.read(cols, row, normalizer, source, placedAt, false);
            OrderInput head = new OrderInput(platform, store, orderId, null, null, null, currency, total,
                    status == null ? OrderStatus.PLACED : status, placedAt, null, null,
                    OrderStatus.CANCELLED.equals(status) ? placedAt : null,
                    coupons == null ? null : Arrays.stream(coupons.split("[;|]")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                    ProfileColumns.normalised(cols, row, "ship_country", normalizer::country), source,
                    seen.contains(key));
            current = new Group(key, profile.hasIdentity() ? profile : null, head);
        }
        if (orderLine != null) current.lines.add(orderLine);
        current.lineNos.add(line);
    }

    private OrderLine line(CSVRecord row, long line) throws RowException {
        String sku = cols.get(row, "sku");
        Integer qty = cols.integer(row, "quantity");
        BigDecimal price = cols.decimal(row, "unit_price");
        if (sku == null) {
            if (qty != null || price != null) throw new RowException("quantity and unit_price need a sku");
            return null;
        }
        return new OrderLine(sku, cols.get(row, "title"), cols.get(row, "category"), qty == null ? 1 : qty, price, line);
    }

    @Override
    public void finish(RowSink sink) {
        if (current != null) flush(sink);
    }

    private void flush(RowSink sink) {
        Group g = current;
        current = null;
        seen.add(g.key);
        OrderInput h = g.head;
        OrderInput order = new OrderInput(h.platform(), h.storeId(), h.externalId(), null, null,
                g.lines.isEmpty() ? null : g.lines, h.currency(), h.total(), h.status(), h.placedAt(), null, null,
                h.cancelledAt(), h.couponCodes(), h.country(), h.source(), h.appendLines());
        sink.accept(new ImportedRecord(g.profile, order, null, g.lineNos));
    }

    private static Instant instant(String text) throws RowException {
        try {
            return OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw new RowException("placed_at '" + text + "' is not an ISO-8601 date-time with offset, "
                    + "e.g. 2026-11-23T10:15:30Z");
        }
    }
}
