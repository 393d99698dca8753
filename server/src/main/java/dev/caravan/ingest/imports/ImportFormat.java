package dev.caravan.ingest.imports;

import java.util.List;

import org.apache.commons.csv.CSVRecord;

/**
 * Turns CSV rows of one kind and format into records. A format may hold rows back (an order spread over several
 * adjacent rows) and must hand everything over by {@link #finish}. One instance reads one file.
 */
interface ImportFormat {

    /**
     * Checks the header. Throws {@link IllegalArgumentException} when required columns are missing; returns
     * warnings such as unknown columns.
     */
    List<String> start(List<String> header);

    void row(CSVRecord row, long line, RowSink sink) throws RowException;

    void finish(RowSink sink);

    /** Format-specific counters shown on the job (e.g. guest rows). */
    default java.util.Map<String, Long> counters() {
        return java.util.Map.of();
    }
}
