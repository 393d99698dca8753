package dev.caravan.integrations.marketplace;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** A platform's answer: status, headers (case-insensitive) and body. */
public record HttpReply(int status, Map<String, String> headers, byte[] body) {

    public HttpReply {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) h.putAll(headers);
        headers = h;
        body = body == null ? new byte[0] : body;
    }

    public String header(String name) {
        return headers.get(name);
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The start of the body, for error messages (platform error bodies carry no credentials). */
    public String excerpt() {
        String t = text().replaceAll("\\s+", " ").trim();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
