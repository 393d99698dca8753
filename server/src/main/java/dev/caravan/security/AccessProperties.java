package dev.caravan.security;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Access hardening settings ({@code caravan.security.*}); docs/SECURITY.md "Hardening".
 */
@ConfigurationProperties("caravan.security")
public record AccessProperties(@DefaultValue Login login, @DefaultValue Headers headers, @DefaultValue Limits limits,
                               @DefaultValue Pseudonyms pseudonyms) {

    /**
     * @param maxFailuresPerUser    failed logins of one username within {@code window} before it is locked
     * @param maxFailuresPerAddress failed logins (any username, bad API keys) from one client address within
     *                              {@code window} before the address is blocked
     * @param window                how long a failure counts
     * @param lockout               how long a locked username or blocked address is refused (429)
     * @param successAuditInterval  a successful HTTP Basic login is audited once per user and address per interval
     *                              (every API call authenticates; auditing each would drown the log)
     * @param formPaths             form-login endpoints (POST, parameter {@code username}) checked like Basic
     */
    public record Login(@DefaultValue("5") int maxFailuresPerUser, @DefaultValue("20") int maxFailuresPerAddress,
                        @DefaultValue("15m") Duration window, @DefaultValue("15m") Duration lockout,
                        @DefaultValue("30m") Duration successAuditInterval,
                        @DefaultValue("/login") List<String> formPaths) {
    }

    /**
     * @param contentSecurityPolicy CSP sent with every response (works with the Swagger UI: no inline scripts)
     * @param referrerPolicy        Referrer-Policy value
     * @param hstsMaxAge            Strict-Transport-Security max-age, sent on HTTPS requests only
     */
    public record Headers(
            @DefaultValue("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                    + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
                    + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'") String contentSecurityPolicy,
            @DefaultValue("no-referrer") String referrerPolicy,
            @DefaultValue("365d") Duration hstsMaxAge) {
    }

    /**
     * @param maxRequestSize largest request body on any path not listed in {@code paths} (JSON, CSV, BPMN...)
     * @param paths          path prefixes with their own limit, e.g. {@code /api/v1/events}
     * @param exempt         path prefixes that stream and enforce their own limit ({@code /api/v1/imports}:
     *                       {@code caravan.ingest.max-import-size})
     */
    public record Limits(@DefaultValue("16MB") DataSize maxRequestSize,
                         @DefaultValue("/api/v1/events=16MB") List<String> paths,
                         @DefaultValue("/api/v1/imports") List<String> exempt) {
    }

    /**
     * @param key          HMAC key for the pseudonyms ANALYST sees instead of contact data; random per start when
     *                     unset (pseudonyms then change on restart)
     * @param maskedPaths  path patterns (Ant style) whose JSON answers are pseudonymised for ANALYST-only callers
     * @param unmaskedPaths exceptions to {@code maskedPaths} (answers without contact data whose "name" fields
     *                     are not people's names)
     */
    public record Pseudonyms(String key,
                             @DefaultValue({"/api/v1/customers", "/api/v1/customers/**", "/api/v1/messages",
                                     "/api/v1/messages/**", "/api/v1/analytics/clv/at-risk",
                                     "/api/v1/analytics/repurchase/due", "/api/v1/segments/*/members",
                                     "/api/v1/segments/preview", "/api/v1/campaigns/dry-run",
                                     "/api/v1/campaigns/*/dry-run", "/api/v1/coupons/*/codes",
                                     "/api/v1/coupons/codes/*", "/api/v1/coupons/attribution",
                                     "/api/v1/workflows/*/instances",
                                     "/api/v1/workflows/*/instances/**"}) List<String> maskedPaths,
                             @DefaultValue({"/api/v1/messages/templates", "/api/v1/messages/templates/**",
                                     "/api/v1/messages/stats"}) List<String> unmaskedPaths) {
    }
}
