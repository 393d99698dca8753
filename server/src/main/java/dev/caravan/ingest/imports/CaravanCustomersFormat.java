package dev.caravan.ingest.imports;

import java.util.ArrayList;
import java.util.List;

import dev.caravan.customer.ContactNormalizer;
import dev.caravan.customer.ProfileInput;
import org.apache.commons.csv.CSVRecord;

/**
 * Customer profiles, one per row: {@code platform} and {@code buyer_id} (or {@code customer_id} to update a known
 * customer) plus any profile columns. Also the way to bulk-update profiles.
 */
class CaravanCustomersFormat implements ImportFormat {

    private final ContactNormalizer normalizer;
    private final String source;
    private Columns cols;

    CaravanCustomersFormat(ContactNormalizer normalizer, String source) {
        this.normalizer = normalizer;
        this.source = source;
    }

    @Override
    public List<String> start(List<String> header) {
        cols = new Columns(header);
        boolean byBuyer = cols.has("platform") && cols.has("buyer_id");
        if (!byBuyer && !cols.has("customer_id")) {
            throw new IllegalArgumentException("a customers file needs the columns platform and buyer_id "
                    + "(or customer_id to update known customers)");
        }
        List<String> warnings = new ArrayList<>();
        cols.unknown(ProfileColumns.COLUMNS, ProfileColumns.PREFIXES)
                .forEach(c -> warnings.add("unknown column '" + c + "' ignored"));
        return warnings;
    }

    @Override
    public void row(CSVRecord row, long line, RowSink sink) throws RowException {
        ProfileInput p = ProfileColumns.read(cols, row, normalizer, source, null, true);
        if (p.customerId() == null && (p.platform() == null || p.buyerId() == null)) {
            throw new RowException("platform and buyer_id (or customer_id) are required");
        }
        sink.accept(new ImportedRecord(p, null, null, List.of(line)));
    }

    @Override
    public void finish(RowSink sink) {
    }
}
