package dev.caravan.connector;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;

import dev.caravan.common.job.Job;
import dev.caravan.common.job.JobService;
import dev.caravan.common.web.NotFoundException;
import dev.caravan.integrations.marketplace.MarketplaceType;
import dev.caravan.integrations.marketplace.SettingField;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/connections")
@Tag(name = "Connections", description = "Marketplace connections (Amazon, eBay, Shopify, AliExpress): credentials "
        + "stored encrypted, sync status, cursors")
public class ConnectionController {

    private final ConnectionService connections;
    private final SyncService syncs;
    private final JobService jobs;

    ConnectionController(ConnectionService connections, SyncService syncs, JobService jobs) {
        this.connections = connections;
        this.syncs = syncs;
        this.jobs = jobs;
    }

    /** A connector type and what its connections need. */
    public record TypeView(String type, String label, String description, List<String> streams,
                           String defaultBaseUrl, String defaultAuthUrl, List<SettingField> settings,
                           List<SettingField> credentials) {
    }

    /** A sync job as clients see it. */
    public record SyncJob(String jobId, String connectionId, String state, java.util.Map<String, Long> counters,
                          String message, Instant createdAt, Instant startedAt, Instant finishedAt) {
        static SyncJob of(Job j) {
            return new SyncJob(j.getId(), j.param("connectionId"), j.getState().name(), j.getCounters(),
                    j.getMessage(), j.getCreatedAt(), j.getStartedAt(), j.getFinishedAt());
        }
    }

    @GetMapping("/types")
    @PreAuthorize("hasAnyRole('ADMIN','ANALYST','MARKETER')")
    @Operation(summary = "List the connector types",
            description = "Each type with its settings and credentials (names, whether required, defaults).")
    public List<TypeView> types() {
        return java.util.Arrays.stream(MarketplaceType.values()).map(t -> new TypeView(t.id(), t.label(),
                t.description(), t.streams(), t.defaultBaseUrl(java.util.Map.of()), t.defaultAuthUrl(), t.settings(),
                t.credentials())).toList();
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('ADMIN','ANALYST','MARKETER')")
    @Operation(summary = "List connections with their status",
            description = "Credentials are never returned: credentialsSet names the ones that are stored.")
    public List<ConnectionView> list() {
        return connections.list().stream().map(connections::view).toList();
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAnyRole('ADMIN','ANALYST','MARKETER')")
    @Operation(summary = "One connection with its status")
    public ConnectionView get(@PathVariable String id) {
        return connections.view(connections.get(id));
    }

    @GetMapping("/{id}/status")
    @PreAuthorize("hasAnyRole('ADMIN','ANALYST','MARKETER')")
    @Operation(summary = "Sync status of a connection",
            description = "State, last sync time, last error, error count, next run, counters and cursors.")
    public ConnectionView.Status status(@PathVariable String id) {
        return connections.view(connections.get(id)).status();
    }

    @PostMapping
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Create a connection",
            description = "type, settings and credentials as listed by GET /connections/types; baseUrl and authUrl "
                    + "override the platform's addresses (sandboxes, stubs). One connection per seller account (and "
                    + "Amazon marketplace): a second one answers 409. The first sync starts at syncFrom "
                    + "(default: the configured look-back).")
    public ResponseEntity<ConnectionView> create(@RequestBody ConnectionRequest request, Principal principal) {
        Connection c = connections.create(request, principal.getName());
        return ResponseEntity.created(URI.create("/api/v1/connections/" + c.getId())).body(connections.view(c));
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Update a connection",
            description = "Settings are replaced; credentials not sent keep their stored values (an empty string "
                    + "removes an optional one). Changing the account (seller, marketplace, shop) resets the cursors.")
    public ConnectionView update(@PathVariable String id, @RequestBody ConnectionRequest request) {
        return connections.view(connections.update(id, request));
    }

    @PostMapping("/{id}/enable")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Enable a connection", description = "Polled connections are synced at the next tick.")
    public ConnectionView enable(@PathVariable String id) {
        return connections.view(connections.setEnabled(id, true));
    }

    @PostMapping("/{id}/disable")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Disable a connection",
            description = "No more syncs; a running one stops after its current page, keeping its cursor. Shopify "
                    + "order and customer webhooks are ignored, privacy webhooks are still recorded.")
    public ConnectionView disable(@PathVariable String id) {
        return connections.view(connections.setEnabled(id, false));
    }

    @PostMapping("/{id}/sync")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Sync now", description = "Starts a sync as a background job (poll GET "
            + "/connections/sync-jobs/{jobId}); 409 when one is running or the connection is disabled.")
    public SyncJob sync(@PathVariable String id, Principal principal) {
        return SyncJob.of(syncs.start(id, principal.getName()));
    }

    @GetMapping("/sync-jobs/{jobId}")
    @PreAuthorize("hasAnyRole('ADMIN','ANALYST','MARKETER')")
    @Operation(summary = "A sync job's progress")
    public SyncJob job(@PathVariable String jobId) {
        return jobs.find(jobId, SyncService.JOB_KIND).map(SyncJob::of)
                .orElseThrow(() -> new NotFoundException("sync job " + jobId + " does not exist"));
    }

    @PostMapping("/{id}/resync")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Read history again",
            description = "Forgets the saved cursors; the next sync reads from `from` (default: the connection's "
                    + "syncFrom). Writes are idempotent, so nothing is stored twice.")
    public ConnectionView resync(@PathVariable String id, @RequestParam(required = false) Instant from) {
        return connections.view(connections.resync(id, from));
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a connection and its stored credentials",
            description = "Orders and customers it brought in stay.")
    public void delete(@PathVariable String id) {
        connections.delete(id);
    }
}
