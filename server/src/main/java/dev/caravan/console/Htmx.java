package dev.caravan.console;

import jakarta.servlet.http.HttpServletRequest;

/** htmx request headers. */
final class Htmx {

    private Htmx() {
    }

    static boolean isHtmx(HttpServletRequest request) {
        return "true".equals(request.getHeader("HX-Request"));
    }

    /** Whether htmx asked for part of the page (not a history restore of the whole page). */
    static boolean partial(HttpServletRequest request) {
        return isHtmx(request) && !"true".equals(request.getHeader("HX-History-Restore-Request"));
    }
}
