package dev.caravan.console;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The console's own filter chain, ordered before the API's: form login with a session and CSRF protection on every
 * form and htmx request, for the console's paths only. Everything else ({@code /api/**}, webhooks, unsubscribe
 * links, Swagger) falls through to the API chain in {@code dev.caravan.security.SecurityConfiguration}, which stays
 * stateless (HTTP Basic, {@code X-Api-Key}, no CSRF). Users and roles are the same: the form login authenticates
 * against the same {@code UserDetailsService} and password encoder, and every console page calls the API
 * controllers' methods, whose {@code @PreAuthorize} rules decide what each role sees and may change.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

    /** The paths the console serves; nothing under {@code /api} is among them. */
    static final String[] PATHS = {"/", "/login", "/logout", "/lang", "/customers/**", "/imports/**", "/rules/**",
            "/journeys/**", "/segments/**", "/campaigns/**", "/messages/**", "/analytics/**", "/settings/**", "/console/**", "/webjars/**",
            "/favicon.ico"};

    static final String[] PUBLIC = {"/login", "/lang", "/console/**", "/webjars/**", "/favicon.ico"};

    /**
     * Scripts and styles only from the server itself: no inline script runs, so injected markup cannot execute.
     * Inline style attributes are allowed because ECharts' tooltips set them; styles cannot run code.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; frame-src 'self'";

    @Bean
    @Order(1)
    SecurityFilterChain consoleSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher(PATHS)
                .authorizeHttpRequests(a -> a
                        .requestMatchers(PUBLIC).permitAll()
                        .anyRequest().authenticated())
                .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/", false).failureUrl("/login?error")
                        .permitAll())
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?logout").deleteCookies("JSESSIONID"))
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .headers(h -> h
                        .contentSecurityPolicy(c -> c.policyDirectives(CSP))
                        .frameOptions(f -> f.sameOrigin())
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
        return http.build();
    }
}
