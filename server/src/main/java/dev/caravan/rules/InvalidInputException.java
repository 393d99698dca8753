package dev.caravan.rules;

import java.util.List;

import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.FieldError;

/** A marketer's typed edit with values that fail validation: answered with 400 and every field error. */
public class InvalidInputException extends BadRequestException {

    public InvalidInputException(String message, List<FieldError> errors) {
        super(message, errors);
    }
}
