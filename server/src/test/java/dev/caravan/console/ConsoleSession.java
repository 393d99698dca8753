package dev.caravan.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-like HTTP session against the console for tests: keeps cookies, does not follow redirects, and can
 * send the CSRF token found in the last page (as a form field or the htmx header).
 */
final class ConsoleSession {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern CSRF_META = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

    final String baseUrl;
    private final HttpClient http;
    private final CookieManager cookies = new CookieManager();
    private String csrf;
    private String acceptLanguage = "en";

    ConsoleSession(String baseUrl) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    ConsoleSession language(String tag) {
        this.acceptLanguage = tag;
        return this;
    }

    /** Signs in through the form; returns the answer to the login POST (302 to / when it worked). */
    HttpResponse<String> login(String user, String password) {
        get("/login");
        return post("/login", Map.of("username", user, "password", password), true);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET(), Map.of());
    }

    HttpResponse<String> htmxGet(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET(), Map.of("HX-Request", "true"));
    }

    /** A form POST; {@code withCsrf} adds the token of the last page as the {@code _csrf} field. */
    HttpResponse<String> post(String path, Map<String, String> form, boolean withCsrf) {
        Map<String, String> body = new LinkedHashMap<>(form);
        if (withCsrf && csrf != null) body.put("_csrf", csrf);
        String encoded = body.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encoded)), Map.of());
    }

    HttpResponse<String> send(HttpRequest.Builder request, Map<String, String> headers) {
        request.header("Accept-Language", acceptLanguage).timeout(Duration.ofSeconds(60));
        headers.forEach(request::header);
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Matcher m = CSRF_META.matcher(r.body());
            if (m.find()) csrf = m.group(1);
            else {
                m = CSRF_FIELD.matcher(r.body());
                if (m.find()) csrf = m.group(1);
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String csrf() {
        return csrf;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
