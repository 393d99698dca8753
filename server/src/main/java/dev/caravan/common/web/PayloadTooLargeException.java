package dev.caravan.common.web;

/** A request body larger than the configured limit: answered 413 with a problem document. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
