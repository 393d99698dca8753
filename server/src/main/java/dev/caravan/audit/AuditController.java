package dev.caravan.audit;

import java.time.Instant;

import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "Audit", description = "The append-only audit log: who did what, when, from where (read only)")
public class AuditController {

    private final AuditLog audit;
    private final AuditProperties props;

    AuditController(AuditLog audit, AuditProperties props) {
        this.audit = audit;
        this.props = props;
    }

    @GetMapping
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Search the audit log, newest first",
            description = "Filters: actor (exact: a username or apikey:<name>), action (exact, or a prefix ending in "
                    + "'.', e.g. 'login.'), from (inclusive) and to (exclusive) as ISO-8601 instants.")
    public PageResponse<AuditEntry> search(@RequestParam(required = false) String actor,
                                           @RequestParam(required = false) String action,
                                           @Parameter(description = "ISO-8601 instant, inclusive") @RequestParam(required = false) Instant from,
                                           @Parameter(description = "ISO-8601 instant, exclusive") @RequestParam(required = false) Instant to,
                                           @RequestParam(defaultValue = "0") int page,
                                           @RequestParam(defaultValue = "50") int size) {
        if (page < 0) throw new BadRequestException("page must be 0 or more");
        if (size < 1 || size > props.maxPageSize()) {
            throw new BadRequestException("size must be between 1 and " + props.maxPageSize());
        }
        if (from != null && to != null && !from.isBefore(to)) throw new BadRequestException("from must be before to");
        return audit.search(actor, action, from, to, page, size);
    }
}
