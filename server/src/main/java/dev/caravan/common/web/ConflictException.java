package dev.caravan.common.web;

/** The request contradicts the current state (for example a job already running): answered with 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
