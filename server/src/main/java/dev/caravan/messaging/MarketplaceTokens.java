package dev.caravan.messaging;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.caravan.integrations.channel.ChannelException;

/**
 * Access tokens for a marketplace API: a configured static token, or one obtained with the OAuth refresh-token
 * grant (Amazon Login with Amazon: client id and secret in the form; eBay: HTTP Basic) and cached until shortly
 * before it expires.
 */
final class MarketplaceTokens implements Supplier<String> {

    private static final Pattern ACCESS = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern EXPIRES = Pattern.compile("\"expires_in\"\\s*:\\s*(\\d+)");

    private final String name;
    private final MessagingProperties.Marketplace cfg;
    private final boolean basicAuth;
    private final String defaultTokenUri;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String token;
    private Instant expires = Instant.EPOCH;

    MarketplaceTokens(String name, MessagingProperties.Marketplace cfg, boolean basicAuth, String defaultTokenUri,
                      Clock clock) {
        this.name = name;
        this.cfg = cfg;
        this.basicAuth = basicAuth;
        this.defaultTokenUri = defaultTokenUri;
        this.clock = clock;
    }

    @Override
    public synchronized String get() {
        if (cfg.accessToken() != null && !cfg.accessToken().isBlank()) {
            return cfg.accessToken();
        }
        if (cfg.refreshToken() == null || cfg.refreshToken().isBlank()) {
            throw ChannelException.permanent("not-configured", name + " messaging is not configured: set an access "
                    + "token, or client id, client secret and refresh token");
        }
        if (token != null && clock.instant().isBefore(expires)) {
            return token;
        }
        StringBuilder form = new StringBuilder("grant_type=refresh_token&refresh_token=").append(enc(cfg.refreshToken()));
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(cfg.tokenUri() == null || cfg.tokenUri().isBlank()
                        ? defaultTokenUri : cfg.tokenUri()))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/x-www-form-urlencoded");
        if (basicAuth) {
            req.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((cfg.clientId() + ":"
                    + cfg.clientSecret()).getBytes(StandardCharsets.UTF_8)));
            if (cfg.scope() != null && !cfg.scope().isBlank()) form.append("&scope=").append(enc(cfg.scope()));
        } else {
            form.append("&client_id=").append(enc(cfg.clientId())).append("&client_secret=").append(enc(cfg.clientSecret()));
        }
        try {
            HttpResponse<String> res = http.send(req.POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher a = ACCESS.matcher(res.body());
            if (res.statusCode() != 200 || !a.find()) {
                throw ChannelException.transientFailure("token-" + res.statusCode(), name + " token endpoint answered "
                        + res.statusCode(), null);
            }
            Matcher e = EXPIRES.matcher(res.body());
            long seconds = e.find() ? Long.parseLong(e.group(1)) : 3600;
            token = a.group(1);
            expires = clock.instant().plusSeconds(Math.max(30, seconds - 120));
            return token;
        } catch (java.io.IOException ex) {
            throw ChannelException.transientFailure("token-io", name + " token endpoint unreachable: " + ex.getMessage(), null);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw ChannelException.transientFailure("token-io", "interrupted", null);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
