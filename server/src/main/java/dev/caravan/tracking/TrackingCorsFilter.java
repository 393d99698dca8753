package dev.caravan.tracking;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * CORS for the public ingestion endpoint, per publishable key: a browser may call {@code /t/collect?k=...} only from
 * the origins registered for that key. Preflights are answered here (204, or 403 for other origins); actual requests
 * from an allowed origin get {@code Access-Control-Allow-Origin} with that origin. No credentials are ever allowed.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class TrackingCorsFilter extends OncePerRequestFilter {

    private final TrackingSites sites;

    TrackingCorsFilter(TrackingSites sites) {
        this.sites = sites;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().equals("/t/collect");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader("Origin");
        boolean allowed = origin != null && sites.active(request.getParameter("k")).map(s -> s.allows(origin)).orElse(false);
        if (allowed) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.addHeader("Vary", "Origin");
        }
        if ("OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null) {
            if (!allowed) {
                response.setStatus(HttpServletResponse.SC_FORBIDDEN);
                return;
            }
            response.setHeader("Access-Control-Allow-Methods", "POST");
            response.setHeader("Access-Control-Allow-Headers", "Content-Type");
            response.setHeader("Access-Control-Max-Age", "600");
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        chain.doFilter(request, response);
    }
}
