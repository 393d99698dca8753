package dev.caravan.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;

import dev.caravan.common.web.BadRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Tracking", description = "Public storefront tracking and campaign link redirects")
public class TrackingController {

    private final TrackingService tracking;
    private final TrackingSites sites;
    private final RateLimits limits;
    private final TrackingProperties props;
    private final byte[] snippet;

    TrackingController(TrackingService tracking, TrackingSites sites, RateLimits limits, TrackingProperties props) {
        this.tracking = tracking;
        this.sites = sites;
        this.limits = limits;
        this.props = props;
        try (InputStream in = TrackingController.class.getResourceAsStream("/tracking/caravan.js")) {
            this.snippet = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GetMapping(value = "/t/caravan.js", produces = "text/javascript")
    @PreAuthorize("permitAll()")
    @Operation(summary = "The storefront snippet (docs/TRACKING.md)")
    public ResponseEntity<byte[]> snippet() {
        return ResponseEntity.ok().contentType(new MediaType("text", "javascript", StandardCharsets.UTF_8))
                .cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(10)).cachePublic())
                .header("X-Content-Type-Options", "nosniff")
                .body(snippet);
    }

    @PostMapping(value = "/t/collect", consumes = {MediaType.TEXT_PLAIN_VALUE, MediaType.APPLICATION_JSON_VALUE})
    @PreAuthorize("permitAll()")
    @Operation(summary = "Public ingestion of storefront events with a publishable key (?k=pk_...)",
            description = "Body {aid, consent: true, wd, events: [{id, type, at, props}]}: text/plain (no CORS "
                    + "preflight) or application/json. Only the site's origins may call it from a browser; rate "
                    + "limited per key and address (429); bots and batches without consent are dropped (202 with "
                    + "the reason). Answers 202 {accepted, buffered, dropped, reason}.")
    public ResponseEntity<Object> collect(@RequestParam("k") String key, @RequestBody(required = false) String body,
                                          @RequestHeader(value = "Origin", required = false) String origin,
                                          @RequestHeader(value = "User-Agent", required = false) String userAgent,
                                          HttpServletRequest request) {
        TrackingSite site = sites.active(key).orElse(null);
        if (site == null) return status(HttpStatus.FORBIDDEN, "unknown or revoked key");
        if (origin != null && !site.allows(origin)) return status(HttpStatus.FORBIDDEN, "origin not allowed for this key");
        if (!limits.allow(key, request.getRemoteAddr())) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", String.valueOf(limits.retryAfter()))
                    .body(java.util.Map.of("error", "rate limited"));
        }
        if (body == null || body.isBlank()) throw new BadRequestException("the body is empty");
        if (body.length() > props.maxBodyBytes()) return status(HttpStatus.PAYLOAD_TOO_LARGE, "body too large");
        return ResponseEntity.accepted().body(tracking.collect(site, body, userAgent));
    }

    private static ResponseEntity<Object> status(HttpStatus status, String error) {
        return ResponseEntity.status(status).body(java.util.Map.of("error", error));
    }

    @GetMapping("/api/v1/tracking/sites")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Shops with their publishable keys and allowed origins")
    public List<TrackingSite> listSites() {
        return sites.list();
    }

    @PostMapping("/api/v1/tracking/sites")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Register a shop: {name, storeId?, origins: [https://shop.example.com]} → a publishable key")
    public TrackingSite createSite(@RequestBody TrackingSites.SiteRequest request, Principal principal) {
        return sites.create(request, principal.getName());
    }

    @DeleteMapping("/api/v1/tracking/sites/{key}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Revoke a publishable key")
    public void revoke(@PathVariable String key) {
        sites.revoke(key);
    }
}
