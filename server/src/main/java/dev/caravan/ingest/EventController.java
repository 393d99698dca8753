package dev.caravan.ingest;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;

import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.FieldError;
import dev.caravan.common.web.ProblemHandler;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/events")
@Tag(name = "Events", description = "Ingest customer events from shops, marketplaces and back-office systems")
public class EventController {

    private final EventParser parser;
    private final IngestPipeline pipeline;
    private final IngestProperties props;

    EventController(EventParser parser, IngestPipeline pipeline, IngestProperties props) {
        this.parser = parser;
        this.pipeline = pipeline;
        this.props = props;
    }

    public record ItemResult(int index, String eventId, String status, String customerId, List<FieldError> errors) {
    }

    public record IngestResponse(int accepted, int duplicates, int rejected, List<ItemResult> results) {
    }

    @PostMapping
    @PreAuthorize("hasAnyRole('ADMIN','INGEST')")
    @Operation(summary = "Ingest one event or an array of events",
            description = "Each event needs a client eventId; a replayed eventId is reported as duplicate and stored "
                    + "once. Unknown customers are created from the identity fields. Every item gets a result; "
                    + "the response is 400 (problem document, with the same results) only when no item was usable. "
                    + "Event types and their properties: docs/EVENTS.md.")
    public ResponseEntity<Object> ingest(@RequestBody JsonNode body, Principal principal) {
        List<JsonNode> items = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(items::add);
        } else {
            items.add(body);
        }
        if (items.isEmpty()) {
            throw new BadRequestException("the request holds no events");
        }
        if (items.size() > props.maxEventsPerRequest()) {
            throw new BadRequestException("at most " + props.maxEventsPerRequest() + " events per request, got "
                    + items.size() + "; split the batch");
        }
        List<IngestRecord> records = new ArrayList<>();
        List<Integer> recordIndex = new ArrayList<>();
        ItemResult[] results = new ItemResult[items.size()];
        for (int i = 0; i < items.size(); i++) {
            List<FieldError> errors = new ArrayList<>();
            IngestRecord r = parser.parse(items.get(i), errors);
            if (r == null) {
                results[i] = new ItemResult(i, eventIdOf(items.get(i)), "rejected", null, errors);
            } else {
                records.add(r);
                recordIndex.add(i);
            }
        }
        IngestPipeline.Outcome outcome = pipeline.write(records, true, principal.getName(), "events");
        for (int k = 0; k < records.size(); k++) {
            IngestPipeline.ItemOutcome o = outcome.items().get(k);
            int i = recordIndex.get(k);
            List<FieldError> errors = o.error() == null ? List.of() : List.of(new FieldError("customer", o.error()));
            results[i] = new ItemResult(i, records.get(k).eventId(), o.status().name().toLowerCase(), o.customerId(), errors);
        }
        List<ItemResult> all = List.of(results);
        int accepted = (int) all.stream().filter(r -> r.status().equals("accepted")).count();
        int duplicates = (int) all.stream().filter(r -> r.status().equals("duplicate")).count();
        int rejected = all.size() - accepted - duplicates;
        IngestResponse response = new IngestResponse(accepted, duplicates, rejected, all);
        if (accepted + duplicates == 0) {
            ProblemDetail problem = ProblemHandler.problem(HttpStatus.BAD_REQUEST, "Invalid events",
                    rejected == 1 ? "the event was rejected" : "all " + rejected + " events were rejected", List.of());
            problem.setProperty("rejected", rejected);
            problem.setProperty("results", all);
            return ResponseEntity.badRequest().body(problem);
        }
        return ResponseEntity.ok(response);
    }

    private static String eventIdOf(JsonNode node) {
        JsonNode id = node == null ? null : node.get("eventId");
        return id != null && id.isString() ? id.asString() : null;
    }
}
