package dev.caravan.privacy;

import java.security.Principal;
import java.util.Map;

import dev.caravan.common.web.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Data-subject rights", description = "GDPR/CCPA export and erasure of one person's data")
public class DataRightsController {

    private final DataRightsService rights;

    DataRightsController(DataRightsService rights) {
        this.rights = rights;
    }

    @GetMapping("/api/v1/customers/{id}/data-export")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Everything held about a customer, as JSON",
            description = "One section per feature: profile (with identities and merges), orders, activity (events, "
                    + "interactions), messaging (messages, consents and their ledger, inbox), journeys, rules, "
                    + "analytics, marketplaces, importErrors. Served as an attachment.")
    public ResponseEntity<Map<String, Object>> export(@PathVariable String id, Principal principal) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=customer-" + safe(id) + ".json")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(rights.export(id, principal.getName()));
    }

    @DeleteMapping("/api/v1/customers/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Erase a customer's personal data everywhere (right to erasure)",
            description = "Running journeys are cancelled and their timers removed, queued messages suppressed, "
                    + "personal fields deleted or anonymised in every feature; orders keep their amounts and dates "
                    + "under the anonymous customer id so revenue totals still add up. Tombstones (keyed hashes of "
                    + "the identities) keep later syncs, imports and events from re-creating the person. Idempotent: "
                    + "repeating it returns the stored report. Answers the report per section.")
    public ErasureRecord erase(@PathVariable String id, Principal principal) {
        return rights.erase(id, "request", principal.getName());
    }

    @GetMapping("/api/v1/customers/{id}/erasure")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "The stored report of a customer's erasure")
    public ErasureRecord erasure(@PathVariable String id) {
        return rights.report(id).orElseThrow(() -> new NotFoundException("customer " + id + " was not erased"));
    }

    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9_-]", "_");
    }
}
