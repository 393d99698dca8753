package dev.caravan.security;

import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.caravan.common.audit.AuditEvent;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/api-keys")
@Tag(name = "API keys", description = "Credentials for machines, sent as the X-Api-Key header")
@PreAuthorize("hasRole('ADMIN')")
public class ApiKeyController {

    private final ApiKeyService keys;
    private final ApplicationEventPublisher events;

    public ApiKeyController(ApiKeyService keys, ApplicationEventPublisher events) {
        this.keys = keys;
        this.events = events;
    }

    public record KeyView(String id, String name, Set<Role> roles, String createdBy, Instant createdAt) {
        static KeyView of(ApiKey k) {
            return new KeyView(k.id(), k.name(), k.roles(), k.createdBy(), k.createdAt());
        }
    }

    public record NewKey(String name, Set<Role> roles) {
    }

    /** The created key with its secret value, shown only in this response. */
    public record CreatedKey(String id, String name, Set<Role> roles, String key) {
    }

    @GetMapping
    @Operation(summary = "List API keys (without their secrets)")
    public List<KeyView> list() {
        return keys.list().stream().map(KeyView::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an API key", description = "The key value is returned once; store it safely")
    public CreatedKey create(@RequestBody NewKey request, Principal principal) {
        Set<Role> roles = request.roles() == null || request.roles().isEmpty() ? Set.of(Role.INGEST) : request.roles();
        ApiKeyService.Issued issued = keys.issue(request.name(), roles, principal.getName());
        events.publishEvent(AuditEvent.of(AuditEvent.Actions.API_KEY_CREATE, "api-key:" + issued.key().id(),
                "created API key " + issued.key().name()).with(Map.of("name", issued.key().name(),
                "roles", issued.key().roles().stream().map(Role::name).sorted().toList())));
        return new CreatedKey(issued.key().id(), issued.key().name(), issued.key().roles(), issued.value());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke an API key")
    public void revoke(@PathVariable String id) {
        keys.revoke(id);
        events.publishEvent(AuditEvent.of(AuditEvent.Actions.API_KEY_REVOKE, "api-key:" + id, "revoked API key " + id));
    }
}
