package dev.caravan.messaging;

import java.util.Locale;
import java.util.regex.Pattern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The public unsubscribe link of every message ({@code /u/{token}}). GET shows a confirmation page (link scanners
 * that prefetch URLs unsubscribe nobody); POST unsubscribes at once, which is also the RFC 8058 one-click
 * {@code List-Unsubscribe-Post} target. Valid and invalid tokens get exactly the same answer.
 */
@RestController
@Tag(name = "Unsubscribe", description = "Public unsubscribe links (no authentication)")
public class UnsubscribeController {

    private static final Logger log = LoggerFactory.getLogger(UnsubscribeController.class);
    private static final Pattern TOKEN = Pattern.compile("^[A-Za-z0-9_-]{16,64}$");

    private final OutboxStore store;
    private final ConsentService consents;

    UnsubscribeController(OutboxStore store, ConsentService consents) {
        this.store = store;
        this.consents = consents;
    }

    @GetMapping(value = "/u/{token}", produces = MediaType.TEXT_HTML_VALUE)
    @Operation(summary = "Unsubscribe confirmation page")
    public ResponseEntity<String> page(@PathVariable String token,
                                       @RequestHeader(value = "Accept-Language", required = false) String lang) {
        boolean zh = chinese(lang);
        String action = "/u/" + HtmlUtils.htmlEscape(token);
        String body = zh
                ? "<h1>退订</h1><p>不再接收我们的营销信息？</p><form method=\"post\" action=\"" + action
                + "\"><button type=\"submit\">确认退订</button></form>"
                : "<h1>Unsubscribe</h1><p>Stop receiving our marketing messages on this channel?</p>"
                + "<form method=\"post\" action=\"" + action + "\"><button type=\"submit\">Unsubscribe</button></form>";
        return html(zh, body);
    }

    @PostMapping(value = "/u/{token}", produces = MediaType.TEXT_HTML_VALUE)
    @Operation(summary = "Unsubscribe (one-click, RFC 8058)")
    public ResponseEntity<String> unsubscribe(@PathVariable String token,
                                              @RequestParam(name = "List-Unsubscribe", required = false) String oneClick,
                                              @RequestHeader(value = "Accept-Language", required = false) String lang) {
        if (TOKEN.matcher(token).matches()) {
            try {
                store.findByUnsubscribeToken(token).ifPresent(m -> consents.set(m.getCustomerId(), m.channel(),
                        Purpose.MARKETING, false, "One-Click".equalsIgnoreCase(oneClick) ? "unsubscribe-one-click"
                                : "unsubscribe-link", "customer", m.getId()));
            } catch (RuntimeException e) {
                // same answer whatever happened; the customer must not learn anything from it
                log.warn("Unsubscribe failed for a token: {}", e.toString());
            }
        }
        boolean zh = chinese(lang);
        return html(zh, zh ? "<h1>已退订</h1><p>您将不再收到这些营销信息。</p>"
                : "<h1>You are unsubscribed</h1><p>You will not receive these marketing messages any more.</p>");
    }

    private static boolean chinese(String acceptLanguage) {
        return acceptLanguage != null && acceptLanguage.toLowerCase(Locale.ROOT).startsWith("zh");
    }

    private static ResponseEntity<String> html(boolean zh, String body) {
        String page = "<!doctype html><html lang=\"" + (zh ? "zh-CN" : "en") + "\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width\"><title>" + (zh ? "退订" : "Unsubscribe")
                + "</title></head><body style=\"font-family:sans-serif;max-width:32rem;margin:3rem auto\">" + body
                + "</body></html>";
        return ResponseEntity.ok().contentType(new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8))
                .header("Cache-Control", "no-store").body(page);
    }
}
