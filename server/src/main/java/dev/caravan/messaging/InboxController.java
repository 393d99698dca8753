package dev.caravan.messaging;

import java.time.Clock;
import java.util.List;

import dev.caravan.common.web.NotFoundException;
import dev.caravan.customer.CustomerService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Inbox", description = "The in-site inbox the storefront shows its customers")
public class InboxController {

    private final InboxStore inbox;
    private final CustomerService customers;
    private final OutboxStore store;
    private final MessageEvents events;
    private final Clock clock;

    InboxController(InboxStore inbox, CustomerService customers, OutboxStore store, MessageEvents events, Clock clock) {
        this.inbox = inbox;
        this.customers = customers;
        this.store = store;
        this.events = events;
        this.clock = clock;
    }

    @GetMapping("/api/v1/customers/{id}/inbox")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','SUPPORT','INGEST')")
    @Operation(summary = "A customer's inbox messages, newest first")
    public List<InboxStore.Item> get(@PathVariable String id) {
        customers.get(id);
        return inbox.items(id);
    }

    @PostMapping("/api/v1/customers/{id}/inbox/{messageId}/read")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','SUPPORT','INGEST')")
    @Operation(summary = "The customer opened an inbox message", description = "Marks it read (status read)")
    public List<InboxStore.Item> read(@PathVariable String id, @PathVariable String messageId) {
        customers.get(id);
        var now = clock.instant();
        if (!inbox.markRead(id, messageId, now)) {
            throw new NotFoundException("message " + messageId + " is not in the inbox of customer " + id);
        }
        store.receipt(messageId, MessageStatus.READ, null, now, now)
                .ifPresent(before -> events.changed(before, before.status(), MessageStatus.READ, null, now));
        return inbox.items(id);
    }
}
