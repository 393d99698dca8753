package dev.caravan.messaging;

import java.security.Principal;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Consents", description = "Marketing and transactional consent per channel, with the ledger of changes")
public class ConsentController {

    /** @param purpose marketing (default) or transactional */
    /** {@code evidence}: optional proof of the decision (a double opt-in confirmation id, a form submission...). */
    public record ConsentRequest(Boolean granted, String purpose, String source, String evidence) {
        public ConsentRequest(Boolean granted, String purpose, String source) {
            this(granted, purpose, source, null);
        }
    }

    private final ConsentService consents;

    ConsentController(ConsentService consents) {
        this.consents = consents;
    }

    @PutMapping("/api/v1/customers/{id}/consents/{channel}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','SUPPORT','INGEST')")
    @Operation(summary = "Grant or withdraw consent for a channel", description = "Applies at once, also to messages "
            + "already queued, and appends to the consent ledger (who, what, when, source).")
    public ConsentService.ConsentState put(@PathVariable String id, @PathVariable String channel,
                                           @RequestBody ConsentRequest request, Principal principal) {
        if (request == null || request.granted() == null) {
            throw new IllegalArgumentException("granted (true or false) is required");
        }
        Purpose purpose = request.purpose() == null || request.purpose().isBlank() ? Purpose.MARKETING
                : Purpose.of(request.purpose());
        String source = request.source() == null || request.source().isBlank() ? "api" : request.source();
        String evidence = request.evidence() == null || request.evidence().isBlank() ? null : request.evidence().trim();
        return consents.set(id, Channel.of(channel), purpose, request.granted(), source, principal.getName(), null,
                evidence);
    }

    @GetMapping("/api/v1/customers/{id}/consents")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','SUPPORT')")
    @Operation(summary = "A customer's consents per channel and purpose")
    public ConsentService.ConsentState get(@PathVariable String id) {
        return consents.state(id);
    }

    @GetMapping("/api/v1/customers/{id}/consents/ledger")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','SUPPORT')")
    @Operation(summary = "Every consent change of a customer, oldest first")
    public List<ConsentLedgerEntry> ledger(@PathVariable String id) {
        return consents.ledger(id);
    }
}
