package dev.caravan.security;

import java.util.List;

import java.time.Clock;

import dev.caravan.common.web.ProblemHandler;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP Basic for people, {@code X-Api-Key} for machines, stateless. Only health, unsubscribe links, inbound
 * webhooks (which verify their own signatures) and storefront tracking {@code /t/**} (publishable keys) are public. Per-endpoint roles are declared on the controllers
 * with {@code @PreAuthorize}; the matrix is in docs/SECURITY.md.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

    static final List<String> PUBLIC = List.of("/actuator/health", "/actuator/health/**", "/u/**", "/webhooks/**", "/t/**",
            "/error");

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeyService keys, JsonMapper json, LoginThrottle throttle,
                                    AccessProperties props, Clock clock, ApplicationEventPublisher events)
            throws Exception {
        AuthenticationEntryPoint unauthorised = (request, response, e) -> {
            response.setHeader("WWW-Authenticate", "Basic realm=\"caravan\"");
            write(response, json, HttpStatus.UNAUTHORIZED, "Unauthorized",
                    "Authenticate with HTTP Basic or an X-Api-Key header");
        };
        AccessDeniedHandler forbidden = (request, response, e) -> write(response, json, HttpStatus.FORBIDDEN,
                "Forbidden", "Your role does not allow this operation");
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(PUBLIC.toArray(String[]::new)).permitAll()
                        .anyRequest().authenticated())
                .httpBasic(b -> b.authenticationEntryPoint(unauthorised))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorised).accessDeniedHandler(forbidden))
                .headers(h -> h
                        .contentTypeOptions(Customizer.withDefaults())
                        .frameOptions(f -> f.deny())
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.get(
                                props.headers().referrerPolicy())))
                        .contentSecurityPolicy(c -> c.policyDirectives(props.headers().contentSecurityPolicy()))
                        // written on HTTPS requests only (behind a TLS proxy: server.forward-headers-strategy=native)
                        .httpStrictTransportSecurity(t -> t.includeSubDomains(true)
                                .maxAgeInSeconds(props.headers().hstsMaxAge().toSeconds())))
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys, unauthorised, throttle, events),
                        BasicAuthenticationFilter.class)
                .addFilterAfter(new RequestSizeLimitFilter(props.limits(), (response, detail) ->
                        write(response, json, HttpStatus.CONTENT_TOO_LARGE, "Payload too large", detail)),
                        AuthorizationFilter.class);
        return http.build();
    }

    /**
     * The login throttle runs before every security filter chain (the API's and the console's form login), so a
     * locked user or address is refused before any chain computes a password hash.
     */
    @Bean
    FilterRegistrationBean<LoginThrottleFilter> loginThrottleFilter(LoginThrottle throttle, Clock clock,
                                                                    AccessProperties props, JsonMapper json) {
        FilterRegistrationBean<LoginThrottleFilter> bean = new FilterRegistrationBean<>(new LoginThrottleFilter(
                throttle, clock, (response, detail) ->
                write(response, json, HttpStatus.TOO_MANY_REQUESTS, "Too many failed logins", detail),
                props.login().formPaths()));
        bean.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
        return bean;
    }

    /** Publishes login successes and failures as application events (throttle and audit listen). */
    @Bean
    AuthenticationEventPublisher authenticationEventPublisher(ApplicationEventPublisher events) {
        return new DefaultAuthenticationEventPublisher(events);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    private static void write(HttpServletResponse response, JsonMapper json, HttpStatus status, String title,
                              String detail) throws java.io.IOException {
        ProblemDetail problem = ProblemHandler.problem(status, title, detail, List.of());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write(json.writeValueAsString(problem));
    }
}
