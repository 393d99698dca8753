package dev.caravan.ingest.imports;

import java.util.List;
import java.util.Locale;

/** What an upload is: customers or orders, in the caravan format or the UCI Online Retail format. */
record ImportRequest(String kind, String format) {

    static final List<String> KINDS = List.of("customers", "orders");
    static final List<String> FORMATS = List.of("caravan", "uci-online-retail");

    static ImportRequest of(String kind, String format) {
        String k = kind == null ? "" : kind.trim().toLowerCase(Locale.ROOT);
        String f = format == null || format.isBlank() ? "caravan" : format.trim().toLowerCase(Locale.ROOT);
        if (!KINDS.contains(k)) {
            throw new IllegalArgumentException("kind must be one of " + KINDS + ", not '" + kind + "'");
        }
        if (!FORMATS.contains(f)) {
            throw new IllegalArgumentException("format must be one of " + FORMATS + ", not '" + format + "'");
        }
        if (f.equals("uci-online-retail") && !k.equals("orders")) {
            throw new IllegalArgumentException("the uci-online-retail format holds orders: use kind=orders");
        }
        return new ImportRequest(k, f);
    }
}
