package dev.caravan.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/** Refuses (429, Retry-After) requests with credentials from a locked username or a blocked address. */
class LoginThrottleFilter extends OncePerRequestFilter {

    interface Refusal {
        void write(HttpServletResponse response, String detail) throws IOException;
    }

    private final LoginThrottle throttle;
    private final Clock clock;
    private final Refusal refusal;

    LoginThrottleFilter(LoginThrottle throttle, Clock clock, Refusal refusal) {
        this.throttle = throttle;
        this.clock = clock;
        this.refusal = refusal;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader("Authorization");
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        boolean apiKey = request.getHeader(ApiKeyAuthenticationFilter.HEADER) != null;
        if (basic || apiKey) {
            var until = throttle.lockedUntil(basic ? basicUser(authorization) : null, request.getRemoteAddr());
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
