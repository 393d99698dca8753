package dev.caravan.ingest.imports;

/** Receives what a format makes of the rows: finished records and rejected lines. */
interface RowSink {

    void accept(ImportedRecord record);

    void reject(long line, String reason);
}
