package dev.caravan.security;

import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.caravan.common.audit.AuditEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Feeds Spring Security's authentication events (HTTP Basic, form login) to the throttle and the audit log:
 * every failure is audited; a success once per user and address per {@code success-audit-interval}.
 */
@Component
class LoginAudit {

    private final LoginThrottle throttle;
    private final ApplicationEventPublisher events;
    private final Cache<String, Boolean> recentSuccesses;

    LoginAudit(LoginThrottle throttle, ApplicationEventPublisher events, AccessProperties props) {
        this.throttle = throttle;
        this.events = events;
        this.recentSuccesses = Caffeine.newBuilder().maximumSize(50_000)
                .expireAfterWrite(props.login().successAuditInterval()).build();
    }

    @EventListener
    void failed(AbstractAuthenticationFailureEvent event) {
        Authentication auth = event.getAuthentication();
        String user = auth == null ? null : auth.getName();
        String address = address(auth);
        throttle.failure(user, address);
        events.publishEvent(AuditEvent.of(AuditEvent.Actions.LOGIN_FAILURE, "user:" + user,
                        "failed login: " + event.getException().getClass().getSimpleName())
                .by(user).from(address, null).outcome("failure"));
    }

    @EventListener
    void succeeded(AuthenticationSuccessEvent event) {
        Authentication auth = event.getAuthentication();
        String user = auth.getName();
        throttle.success(user);
        String address = address(auth);
        if (recentSuccesses.asMap().putIfAbsent(user + "|" + address, Boolean.TRUE) == null) {
            events.publishEvent(AuditEvent.of(AuditEvent.Actions.LOGIN_SUCCESS, "user:" + user, "login")
                    .with(Map.of("method", "password")).by(user).from(address, null));
        }
    }

    private static String address(Authentication auth) {
        if (auth != null && auth.getDetails() instanceof WebAuthenticationDetails details) {
            return details.getRemoteAddress();
        }
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attrs
                ? attrs.getRequest().getRemoteAddr() : null;
    }
}
