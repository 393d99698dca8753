package dev.caravan.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses (429, Retry-After) requests with credentials (HTTP Basic, X-Api-Key, or a POST to a form-login path) from
 * a locked username or a blocked address, before any password hash is computed.
 */
class LoginThrottleFilter extends OncePerRequestFilter {

    interface Refusal {
        void write(HttpServletResponse response, String detail) throws IOException;
    }

    private final LoginThrottle throttle;
    private final Clock clock;
    private final Refusal refusal;
    private final List<String> formPaths;

    LoginThrottleFilter(LoginThrottle throttle, Clock clock, Refusal refusal, List<String> formPaths) {
        this.throttle = throttle;
        this.clock = clock;
        this.refusal = refusal;
        this.formPaths = formPaths == null ? List.of() : List.copyOf(formPaths);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader("Authorization");
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        boolean apiKey = request.getHeader(ApiKeyAuthenticationFilter.HEADER) != null;
        boolean form = "POST".equals(request.getMethod())
                && formPaths.contains(request.getRequestURI().substring(request.getContextPath().length()));
        if (basic || apiKey || form) {
            String user = basic ? basicUser(authorization) : form ? request.getParameter("username") : null;
            var until = throttle.lockedUntil(user, request.getRemoteAddr());
            if (until.isPresent()) {
                long seconds = Math.max(1, Duration.between(clock.instant(), until.get()).toSeconds());
                response.setHeader("Retry-After", Long.toString(seconds));
                refusal.write(response, "Too many failed logins; try again in " + seconds + " seconds");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    static String basicUser(String authorization) {
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
