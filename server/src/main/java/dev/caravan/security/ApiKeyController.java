package dev.caravan.security;

import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
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

    public ApiKeyController(ApiKeyService keys) {
        this.keys = keys;
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
        return new CreatedKey(issued.key().id(), issued.key().name(), issued.key().roles(), issued.value());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke an API key")
    public void revoke(@PathVariable String id) {
        keys.revoke(id);
    }
}
