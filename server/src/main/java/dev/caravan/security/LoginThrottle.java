package dev.caravan.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.caravan.common.audit.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Counts failed logins per username and per client address within a window and locks either for a while once
 * it reaches its limit ({@code caravan.security.login.*}). Locked requests are refused before the password hash
 * is even computed. The counters live in this server's memory (bounded, expiring): behind a load balancer each
 * server counts on its own.
 */
@Component
public class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private record Counter(int failures, Instant windowStart, Instant lockedUntil) {
    }

    private final AccessProperties.Login props;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final Cache<String, Counter> users;
    private final Cache<String, Counter> addresses;

    LoginThrottle(AccessProperties props, Clock clock, ApplicationEventPublisher events) {
        this.props = props.login();
        this.clock = clock;
        this.events = events;
        Duration keep = this.props.window().plus(this.props.lockout());
        this.users = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(keep).build();
        this.addresses = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(keep).build();
    }

    /** Until when this username or address is refused, if it is. */
    public Optional<Instant> lockedUntil(String username, String address) {
        Instant now = clock.instant();
        Instant until = null;
        for (Counter c : new Counter[]{username == null ? null : users.getIfPresent(key(username)),
                address == null ? null : addresses.getIfPresent(address)}) {
            if (c != null && c.lockedUntil() != null && c.lockedUntil().isAfter(now)
                    && (until == null || c.lockedUntil().isAfter(until))) {
                until = c.lockedUntil();
            }
        }
        return Optional.ofNullable(until);
    }

    /** Records a failed login (username may be null, e.g. a wrong API key). */
    public void failure(String username, String address) {
        if (username != null && !username.isBlank()) {
            count(users, key(username), props.maxFailuresPerUser(), "user:" + username, username, address);
        }
        if (address != null) {
            count(addresses, address, props.maxFailuresPerAddress(), "address:" + address, username, address);
        }
    }

    /** A successful login clears the username's failures (not the address's: one good account must not unlock a scanner). */
    public void success(String username) {
        if (username != null) users.invalidate(key(username));
    }

    private void count(Cache<String, Counter> cache, String key, int max, String target, String username, String address) {
        Instant now = clock.instant();
        Counter after = cache.asMap().compute(key, (k, c) -> {
            if (c == null || c.windowStart().plus(props.window()).isBefore(now)
                    || (c.lockedUntil() != null && !c.lockedUntil().isAfter(now))) {
                c = new Counter(0, now, null);
            }
            int failures = c.failures() + 1;
            Instant locked = c.lockedUntil();
            if (locked == null && failures >= max) locked = now.plus(props.lockout());
            return new Counter(failures, c.windowStart(), locked);
        });
        if (after.lockedUntil() != null && after.failures() == max) {
            log.warn("Login locked for {} until {} after {} failures", target, after.lockedUntil(), after.failures());
            events.publishEvent(AuditEvent.of(AuditEvent.Actions.LOGIN_LOCKED, target,
                            "locked after " + after.failures() + " failed logins")
                    .with(Map.of("until", after.lockedUntil().toString()))
                    .by(username == null ? "anonymous" : username).from(address, null).outcome("denied"));
        }
    }

    /** Forgets every counter and lock (tests; an operator can also restart the server). */
    void reset() {
        users.invalidateAll();
        addresses.invalidateAll();
    }

    private static String key(String username) {
        return username.trim().toLowerCase(Locale.ROOT);
    }
}
