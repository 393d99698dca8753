package dev.caravan.integrations.marketplace;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One HTTP request to a platform. {@code operation} names the API operation: rate limits are tracked per
 * connection and operation. Query values are unencoded.
 */
public record HttpCall(String operation, String method, String url, Map<String, String> query,
                       Map<String, String> headers, String body) {

    public HttpCall {
        query = query == null ? Map.of() : new LinkedHashMap<>(query);
        headers = headers == null ? Map.of() : new LinkedHashMap<>(headers);
    }

    public static HttpCall get(String operation, String url, Map<String, String> query) {
        return new HttpCall(operation, "GET", url, query, Map.of(), null);
    }

    public static HttpCall postForm(String operation, String url, Map<String, String> form) {
        return new HttpCall(operation, "POST", url, Map.of(),
                Map.of("Content-Type", "application/x-www-form-urlencoded"), encode(form));
    }

    public HttpCall withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpCall(operation, method, url, query, h, body);
    }

    public HttpCall withQuery(String name, String value) {
        Map<String, String> q = new LinkedHashMap<>(query);
        q.put(name, value);
        return new HttpCall(operation, method, url, q, headers, body);
    }

    /** The URL with its encoded query string. */
    public String uri() {
        return query.isEmpty() ? url : url + (url.contains("?") ? "&" : "?") + encode(query);
    }

    static String encode(Map<String, String> params) {
        return params.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Never prints headers or bodies: they carry tokens and secrets. */
    @Override
    public String toString() {
        return method + " " + url + " (" + operation + ")";
    }
}
