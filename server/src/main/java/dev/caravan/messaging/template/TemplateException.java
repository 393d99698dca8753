package dev.caravan.messaging.template;

import java.util.List;

import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.FieldError;

/** A template file that does not parse or validate; answered with 400 and one error per line at fault. */
public class TemplateException extends BadRequestException {

    public TemplateException(String message, List<FieldError> errors) {
        super(message, errors);
    }
}
