package dev.caravan.campaign;

import java.net.URI;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The public redirect behind tracked campaign links. */
@RestController
@Tag(name = "Tracking", description = "Public storefront tracking and campaign link redirects")
public class ClickController {

    private final Clicks clicks;

    ClickController(Clicks clicks) {
        this.clicks = clicks;
    }

    @GetMapping("/t/r/{token}")
    @PreAuthorize("permitAll()")
    @Operation(summary = "Counts a click on a campaign link and redirects to the campaign's landing page")
    public ResponseEntity<String> click(@PathVariable String token) {
        return clicks.click(token)
                .map(link -> ResponseEntity.status(HttpStatus.FOUND).location(URI.create(link)).<String>build())
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN)
                        .body("This link is not valid."));
    }
}
