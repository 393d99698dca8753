package dev.caravan.segment;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.caravan.common.audit.AuditEvent;
import dev.caravan.common.job.Job;
import dev.caravan.common.web.PageResponse;
import dev.caravan.customer.Customer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/segments")
@Tag(name = "Segments", description = "Saved dynamic segments from a typed condition tree (docs/SEGMENTS.md)")
public class SegmentController {

    private final SegmentService segments;

    private final ApplicationEventPublisher events;

    SegmentController(SegmentService segments, ApplicationEventPublisher events) {
        this.segments = segments;
        this.events = events;
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Every saved segment")
    public List<SegmentService.SegmentView> list() {
        return segments.list();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Save a segment",
            description = "Body {name, description, condition}; the condition is validated against the segment schema "
                    + "(GET /api/v1/segments/schema) and the field catalog (GET /api/v1/segments/fields). Memberships "
                    + "are filled by a background job (refreshJobId); entries it finds are not live.")
    public SegmentService.SegmentView create(@RequestBody JsonNode body, Principal principal) {
        return segments.create(body, principal.getName());
    }

    @PostMapping("/preview")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Size and a sample of a condition before saving it, with warnings for expensive parts",
            description = "Body {condition, sample?} (sample: customers to list, default 20, at most 100)")
    public SegmentService.PreviewView preview(@RequestBody JsonNode body) {
        return segments.preview(body);
    }

    @GetMapping("/schema")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "The JSON Schema every segment body must match")
    public JsonNode schema() {
        return segments.schema();
    }

    public record FieldView(String field, String kind, List<String> ops, String description, boolean narrowsStoreQuery) {
    }

    public record BehaviourView(List<String> events, List<String> fields, Map<String, String> forms) {
    }

    public record FieldsView(List<FieldView> fields, BehaviourView behaviour) {
    }

    @GetMapping("/fields")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "The fields, operators and behaviour events conditions may use")
    public FieldsView fields() {
        List<FieldView> fields = new ArrayList<>();
        for (SegmentField f : SegmentField.values()) {
            fields.add(new FieldView(f.id(), f.kind().name().toLowerCase(), f.kind().ops().stream().sorted().toList(),
                    f.description(), f.storePath() != null));
        }
        return new FieldsView(fields, new BehaviourView(SegmentField.EVENTS, List.of("count", "category", "sku"),
                Map.of("happened", "{\"event\": E, \"op\": \"within_days\" | \"not_within_days\", \"value\": DAYS}",
                        "count", "{\"event\": E, \"field\": \"count\", \"op\": \"gte\", \"value\": N, \"days\": DAYS}",
                        "category or sku", "{\"event\": E, \"field\": \"category\", \"op\": \"eq\" | \"in\" | \"contains\" | \"ne\" | \"nin\", \"value\": V, \"days\": DAYS?}")));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "One segment")
    public SegmentService.SegmentView get(@PathVariable String id) {
        return segments.get(id);
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Change a segment (memberships are filled again, not live)")
    public SegmentService.SegmentView update(@PathVariable String id, @RequestBody JsonNode body, Principal principal) {
        return segments.update(id, body, principal.getName());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Delete a segment")
    public void delete(@PathVariable String id) {
        segments.delete(id);
    }

    @GetMapping("/{id}/count")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Live size: the segment evaluated against every customer now")
    public SegmentService.CountView count(@PathVariable String id) {
        return segments.count(id);
    }

    @GetMapping("/{id}/members")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "Members, paged, in customer id order (memberships kept current by events)")
    public PageResponse<SegmentService.MemberView> members(@PathVariable String id,
                                                           @RequestParam(defaultValue = "0") int page,
                                                           @RequestParam(defaultValue = "50") int size) {
        return segments.members(id, page, size);
    }

    static final List<String> CSV_COLUMNS = List.of("id", "name", "emails", "phones", "country", "language", "timezone",
            "tier", "tags", "lifecycle", "level", "order_count", "total_spend", "last_order_at", "member_since");

    @GetMapping("/{id}/export")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Every member as CSV (personal data: ADMIN only, as the customer export)")
    public ResponseEntity<StreamingResponseBody> export(@PathVariable String id) {
        segments.require(id);
        events.publishEvent(AuditEvent.personalDataExport("segment:" + id, "segment members export (csv)", Map.of()));
        StreamingResponseBody body = out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            try (CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(CSV_COLUMNS.toArray(String[]::new)).get())) {
                segments.forEachMember(id, chunk -> {
                    List<Customer> customers = segments.customers(chunk.stream().map(SegmentService.MemberView::customerId).toList());
                    for (int i = 0; i < customers.size(); i++) {
                        Customer c = customers.get(i);
                        SegmentService.MemberView m = chunk.stream().filter(x -> x.customerId().equals(c.getId())).findFirst().orElseThrow();
                        try {
                            csv.printRecord(c.getId(), c.name(), String.join(";", c.getEmails()), String.join(";", c.getPhones()),
                                    c.getCountry(), c.getLanguage(), c.getTimezone(), c.getTier(), String.join(";", c.getTags()),
                                    c.getLifecycle(), c.getLevel(), c.getMetrics().orderCount(),
                                    c.getMetrics().totalSpend().toPlainString(), c.getMetrics().lastOrderAt(), m.since());
                        } catch (java.io.IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                });
            }
        };
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=segment-" + id + ".csv")
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .body(body);
    }

    @PostMapping("/{id}/refresh")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Re-evaluate every customer against this segment (a job; entries it finds are not live)")
    public Job refresh(@PathVariable String id, Principal principal) {
        return segments.refresh(id, principal.getName());
    }

    @GetMapping("/jobs/{jobId}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Progress of a segment fill job")
    public Job job(@PathVariable String jobId) {
        return segments.job(jobId);
    }
}
