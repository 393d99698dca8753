package dev.caravan.integrations.marketplace;

/** One record of a page cannot be read; the record is skipped and counted, the page goes on. */
public class MalformedRecordException extends RuntimeException {

    public MalformedRecordException(String message) {
        super(message);
    }
}
