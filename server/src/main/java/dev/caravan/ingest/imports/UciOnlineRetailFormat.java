package dev.caravan.ingest.imports;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.caravan.customer.Countries;
import dev.caravan.customer.ProfileInput;
import dev.caravan.order.OrderInput;
import dev.caravan.order.OrderLine;
import dev.caravan.order.OrderStatus;
import dev.caravan.order.ReturnInput;
import org.apache.commons.csv.CSVRecord;

/**
 * The UCI "Online Retail" data set (a UK gift shop, 2010–2011): one row per invoice line. Adjacent rows of an
 * invoice become one order in GBP; invoices starting with {@code C} are cancellations and become returns; rows
 * without a CustomerID become guest orders. CustomerID {@code 17850.0} is buyer {@code 17850}. Dates are UK local
 * time, either ISO ({@code 2010-12-01 08:26:00}) or as in the original spreadsheet ({@code 12/1/2010 8:26}).
 */
class UciOnlineRetailFormat implements ImportFormat {

    static final String PLATFORM = "uci-online-retail";
    static final List<String> COLUMNS = List.of("InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate",
            "UnitPrice", "CustomerID", "Country");
    private static final String CURRENCY = "GBP";
    private static final ZoneId ZONE = ZoneId.of("Europe/London");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]");
    private static final DateTimeFormatter US = DateTimeFormatter.ofPattern("M/d/yyyy H:mm[:ss]");

    private final String source;
    private Columns cols;
    private Invoice current;
    private final Set<String> seenInvoices = new HashSet<>();
    private final Set<String> buyers = new HashSet<>();
    private long guestRows;
    private long cancellations;
    private String lastDateText;
    private Instant lastDate;

    UciOnlineRetailFormat(String source) {
        this.source = source;
    }

    private static final class Invoice {
        final String number;
        final boolean continuation;
        final List<OrderLine> lines = new ArrayList<>();
        final List<Long> lineNos = new ArrayList<>();
        String buyer;
        String country;
        Instant at;

        Invoice(String number, boolean continuation) {
            this.number = number;
            this.continuation = continuation;
        }
    }

    @Override
    public List<String> start(List<String> header) {
        cols = new Columns(header);
        List<String> missing = cols.missing(COLUMNS);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the uci-online-retail format needs the columns " + COLUMNS
                    + "; missing " + missing);
        }
        return cols.unknown(Set.copyOf(COLUMNS.stream().map(Columns::normalise).toList()), List.of()).stream()
                .map(c -> "unknown column '" + c + "' ignored").toList();
    }

    @Override
    public void row(CSVRecord row, long line, RowSink sink) throws RowException {
        String number = cols.required(row, "invoiceno");
        if (current != null && !current.number.equals(number)) {
            flush(sink);
        }
        Integer qty = cols.integer(row, "quantity");
        if (qty == null) throw new RowException("Quantity is empty");
        BigDecimal price = cols.decimal(row, "unitprice");
        if (price == null) throw new RowException("UnitPrice is empty");
        Instant at = date(cols.required(row, "invoicedate"));
        String buyer = buyerId(cols.get(row, "customerid"));
        if (current == null) {
            current = new Invoice(number, seenInvoices.contains(number));
            current.at = at;
            current.buyer = buyer;
            current.country = cols.get(row, "country");
        }
        if (buyer == null) guestRows++;
        current.lines.add(new OrderLine(cols.get(row, "stockcode"), cols.get(row, "description"), null, qty, price, line));
        current.lineNos.add(line);
    }

    @Override
    public void finish(RowSink sink) {
        if (current != null) flush(sink);
    }

    private void flush(RowSink sink) {
        Invoice inv = current;
        current = null;
        seenInvoices.add(inv.number);
        String country = Countries.toCode(inv.country).orElse(null);
        ProfileInput profile = null;
        if (inv.buyer != null) {
            buyers.add(inv.buyer);
            profile = ProfileInput.builder().platform(PLATFORM).buyerId(inv.buyer).country(country)
                    .source(source).at(inv.at).build();
        }
        if (inv.number.startsWith("C")) {
            cancellations++;
            BigDecimal amount = inv.lines.stream().map(OrderLine::total).reduce(BigDecimal.ZERO, BigDecimal::add).negate();
            sink.accept(new ImportedRecord(profile, null, new ReturnInput(PLATFORM, null, inv.number, null, null, null,
                    "cancellation", inv.lines, CURRENCY, amount, "cancelled invoice", inv.at, source), inv.lineNos));
        } else {
            sink.accept(new ImportedRecord(profile, new OrderInput(PLATFORM, null, inv.number, null, null, inv.lines,
                    CURRENCY, null, OrderStatus.PLACED, inv.at, null, null, null, null, country, source,
                    inv.continuation), null, inv.lineNos));
        }
    }

    private Instant date(String text) throws RowException {
        if (text.equals(lastDateText)) return lastDate; // rows of one invoice share their timestamp
        try {
            LocalDateTime local = text.indexOf('/') > 0 ? LocalDateTime.parse(text, US) : LocalDateTime.parse(text, ISO);
            lastDateText = text;
            lastDate = local.atZone(ZONE).toInstant();
            return lastDate;
        } catch (DateTimeParseException e) {
            throw new RowException("InvoiceDate '" + text + "' is not a date like 2010-12-01 08:26:00");
        }
    }

    /** "17850.0" to "17850"; blank to null (a guest). */
    private static String buyerId(String raw) throws RowException {
        if (raw == null) return null;
        String id = raw.endsWith(".0") ? raw.substring(0, raw.length() - 2) : raw;
        for (int i = 0; i < id.length(); i++) {
            if (!Character.isDigit(id.charAt(i))) throw new RowException("CustomerID '" + raw + "' is not a number");
        }
        return id;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("invoices", (long) seenInvoices.size());
        c.put("cancellationInvoices", cancellations);
        c.put("customers", (long) buyers.size());
        c.put("guestRows", guestRows);
        return c;
    }
}
