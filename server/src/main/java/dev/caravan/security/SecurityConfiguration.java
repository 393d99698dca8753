package dev.caravan.security;

import java.util.List;

import dev.caravan.common.web.ProblemHandler;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
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
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeyService keys, JsonMapper json) throws Exception {
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
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys, unauthorised), BasicAuthenticationFilter.class);
        return http.build();
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
