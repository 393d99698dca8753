package dev.caravan.console;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The signed-in user, handed to API methods that take a {@code Principal} or {@code Authentication}. */
final class Auth {

    private Auth() {
    }

    static Authentication current() {
        return SecurityContextHolder.getContext().getAuthentication();
    }
}
