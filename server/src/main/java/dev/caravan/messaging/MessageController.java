package dev.caravan.messaging;

import java.security.Principal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.caravan.common.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/messages")
@Tag(name = "Messages", description = "Send messages through e-mail, WhatsApp, Amazon, eBay and the in-site inbox; "
        + "status, statistics and dead letters")
public class MessageController {

    /** The body of {@code POST /api/v1/messages} and {@code /check}. */
    public record MessageRequest(String customerId, String channel, String template, String purpose,
                                 Map<String, Object> params, String idempotencyKey, String language, String journeyId,
                                 String journeyInstanceId, String stepId, String campaignId) {

        SendRequest toSendRequest() {
            return new SendRequest(customerId, channel, template, purpose, params, idempotencyKey, language, journeyId,
                    journeyInstanceId, stepId, campaignId, "api");
        }
    }

    private final MessageService messages;
    private final MessageQueries queries;

    MessageController(MessageService messages, MessageQueries queries) {
        this.messages = messages;
        this.queries = queries;
    }

    @PostMapping
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','SUPPORT')")
    @Operation(summary = "Send a message", description = "Answers 202 with the message id once the message and its "
            + "decision are in the outbox: queued, deferred (quiet hours, holiday) or suppressed (consent, channel "
            + "policy, frequency cap) with the reason. A repeated idempotencyKey returns the same message "
            + "(duplicate=true) and sends nothing new.")
    public ResponseEntity<SendResult> send(@RequestBody MessageRequest request, Principal principal) {
        if (request == null) throw new IllegalArgumentException("a JSON body is required");
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(messages.send(request.toSendRequest(), principal.getName()));
    }

    @PostMapping("/check")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','SUPPORT','ANALYST')")
    @Operation(summary = "Would this send be allowed now?", description = "Runs consent, channel policy, frequency "
            + "cap and quiet hours for the request and says what the pipeline would do and why. Stores nothing.")
    public SendCheck check(@RequestBody MessageRequest request) {
        if (request == null) throw new IllegalArgumentException("a JSON body is required");
        return messages.check(request.toSendRequest());
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "List messages, newest first")
    public PageResponse<MessageView> list(@RequestParam(required = false) String customerId,
                                          @RequestParam(required = false) String channel,
                                          @RequestParam(required = false) String status,
                                          @RequestParam(required = false) String template,
                                          @RequestParam(required = false) String journeyId,
                                          @RequestParam(required = false) String campaignId,
                                          @RequestParam(defaultValue = "0") int page,
                                          @RequestParam(defaultValue = "50") int size) {
        return queries.list(customerId, channel, status, template, journeyId, campaignId, page, size);
    }

    @GetMapping("/stats")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Message statistics", description = "Counts per status, delivery/read/conversion rates and "
            + "attributed revenue, grouped by channel, template, journeyId, campaignId, purpose or language")
    public List<MessageQueries.StatsRow> stats(
            @Parameter(description = "messages created at or after") @RequestParam(required = false) Instant from,
            @Parameter(description = "messages created before") @RequestParam(required = false) Instant to,
            @Parameter(description = "comma-separated") @RequestParam(defaultValue = "channel,template") String groupBy) {
        return queries.stats(from, to, Arrays.stream(groupBy.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    @GetMapping("/dead-letters")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','SUPPORT')")
    @Operation(summary = "Failed messages (permanent failures and exhausted retries), with their reasons")
    public PageResponse<MessageView> deadLetters(@RequestParam(required = false) String channel,
                                                 @RequestParam(defaultValue = "0") int page,
                                                 @RequestParam(defaultValue = "50") int size) {
        return queries.list(null, channel, MessageStatus.FAILED.id(), null, null, null, page, size);
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "One message with its history")
    public MessageView get(@PathVariable String id) {
        return MessageView.of(messages.get(id));
    }

    @PostMapping("/{id}/retry")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','SUPPORT')")
    @Operation(summary = "Retry a dead letter", description = "Queues a failed message again; it passes every check "
            + "again (consent, policy, cap, quiet hours). 409 for messages that are not failed.")
    public MessageView retry(@PathVariable String id, Principal principal) {
        return MessageView.of(messages.retry(id, principal.getName()));
    }
}
