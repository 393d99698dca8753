package dev.caravan.ingest.imports;

/** A CSV row that cannot be imported; the message is shown in the job's error report next to the line number. */
class RowException extends Exception {

    RowException(String message) {
        super(message, null, false, false);
    }
}
