package dev.caravan.console;

import java.util.function.Supplier;

import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.ConflictException;
import dev.caravan.common.web.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;

/**
 * One part of a page, loaded through an API method: its value, or why it is missing. A role that may not call the
 * method sees "not available for your role" in that part while the rest of the page still renders, exactly as the
 * API would answer 403 to that call.
 */
public record Section<T>(T value, boolean forbidden, String error) {

    private static final Logger log = LoggerFactory.getLogger(Section.class);

    public static <T> Section<T> load(Supplier<T> call) {
        try {
            return new Section<>(call.get(), false, null);
        } catch (AccessDeniedException e) {
            // AuthorizationDeniedException (method security) is an AccessDeniedException
            return new Section<>(null, true, null);
        } catch (BadRequestException | NotFoundException | ConflictException | IllegalArgumentException e) {
            return new Section<>(null, false, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("A console section failed to load", e);
            return new Section<>(null, false, e.getClass().getSimpleName());
        }
    }

    public boolean ok() {
        return !forbidden && error == null && value != null;
    }
}
