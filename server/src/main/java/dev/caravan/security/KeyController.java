package dev.caravan.security;

import java.security.Principal;

import dev.caravan.common.job.Job;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import dev.caravan.common.audit.AuditEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Encryption keys: status, rotation and re-encryption of stored values (docs/SECURITY.md, "Encryption at rest"). */
@RestController
@RequestMapping("/api/v1/admin/keys")
@Tag(name = "Keys", description = "Encryption keys of personal data and secrets at rest: status, rotation, re-encryption")
public class KeyController {

    private final KeyRotationService rotation;
    private final ApplicationEventPublisher events;

    public KeyController(KeyRotationService rotation, ApplicationEventPublisher events) {
        this.rotation = rotation;
        this.events = events;
    }

    @GetMapping
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Key ids, the primary key, where the keys come from and the running rotation job (no key material)")
    public KeyRotationService.KeyStatus status() {
        return rotation.status();
    }

    @PostMapping("/rotate")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Add a new primary key and re-encrypt every stored value with it in the background",
            description = "Returns the job. Old keys stay in the keyset, so everything stays readable while the job "
                    + "runs. 409 when the key comes from CARAVAN_SECRETS_KEY (deploy a new keyset, then /reencrypt) or "
                    + "a rotation is still running.")
    public Job rotate(Principal principal) {
        Job job = rotation.rotate(principal.getName());
        events.publishEvent(AuditEvent.of("keys.rotate", "keys", "new primary key; re-encryption job " + job.getId()));
        return job;
    }

    @PostMapping("/reencrypt")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Re-encrypt every stored value under the current primary key (a job with progress)",
            description = "Also seals values stored before encryption was enabled. Returns the running job if any.")
    public Job reencrypt(Principal principal) {
        Job job = rotation.reencrypt(principal.getName());
        events.publishEvent(AuditEvent.of("keys.reencrypt", "keys", "re-encryption job " + job.getId()));
        return job;
    }

    @GetMapping("/jobs/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Progress of a rotation / re-encryption job")
    public Job job(@PathVariable String id) {
        return rotation.job(id);
    }
}
