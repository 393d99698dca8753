package dev.caravan.security;

import java.io.IOException;

import dev.caravan.common.audit.AuditEvent;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates requests that carry an {@code X-Api-Key} header; a wrong key is answered with 401 at once. */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Api-Key";

    private final ApiKeyService keys;
    private final AuthenticationEntryPoint entryPoint;
    private final LoginThrottle throttle;
    private final ApplicationEventPublisher events;
    private final SecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();

    ApiKeyAuthenticationFilter(ApiKeyService keys, AuthenticationEntryPoint entryPoint, LoginThrottle throttle,
                               ApplicationEventPublisher events) {
        this.keys = keys;
        this.entryPoint = entryPoint;
        this.throttle = throttle;
        this.events = events;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String value = request.getHeader(HEADER);
        if (value != null) {
            var key = keys.verify(value.trim());
            if (key.isEmpty()) {
                SecurityContextHolder.clearContext();
                String address = request.getRemoteAddr();
                throttle.failure(null, address);
                String keyId = keyId(value.trim());
                events.publishEvent(AuditEvent.of(AuditEvent.Actions.LOGIN_FAILURE, "api-key:" + keyId,
                        "rejected API key").by("apikey:" + keyId).from(address, null).outcome("failure"));
                entryPoint.commence(request, response, new BadCredentialsException("invalid API key"));
                return;
            }
            var auth = UsernamePasswordAuthenticationToken.authenticated("apikey:" + key.get().name(), null,
                    key.get().roles().stream().map(r -> new SimpleGrantedAuthority(r.authority())).toList());
            var context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(auth);
            SecurityContextHolder.setContext(context);
            // kept on the request so that async dispatches (streamed exports) are still authenticated
            contexts.saveContext(context, request, response);
        }
        chain.doFilter(request, response);
    }

    /** The public id part of {@code cvk_<id>_<secret>} (never the secret), for the audit log. */
    static String keyId(String value) {
        if (!value.startsWith(ApiKeyService.PREFIX)) return "?";
        String rest = value.substring(ApiKeyService.PREFIX.length());
        int sep = rest.indexOf('_');
        String id = sep < 0 ? "?" : rest.substring(0, sep);
        return id.length() > 20 ? id.substring(0, 20) : id;
    }
}
