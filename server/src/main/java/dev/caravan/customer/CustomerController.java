package dev.caravan.customer;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.caravan.common.audit.AuditEvent;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.PageResponse;
import dev.caravan.money.ExchangeRateService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1/customers")
@Tag(name = "Customers", description = "Unified customer profiles: search, 360 view, timeline, edit, merge and export")
public class CustomerController {

    private final CustomerService customers;
    private final CustomerMerger merger;
    private final CustomerWriteLock lock;
    private final ExchangeRateService rates;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;

    public CustomerController(CustomerService customers, CustomerMerger merger, CustomerWriteLock lock,
                              ExchangeRateService rates, JsonMapper json, ApplicationEventPublisher events) {
        this.events = events;
        this.customers = customers;
        this.merger = merger;
        this.lock = lock;
        this.rates = rates;
        this.json = json;
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "Search customers", description = "q matches exactly an e-mail or phone, else whole words of the name (every word must match; "
            + "no fragments: names and contacts are encrypted, see docs/SECURITY.md), or a customer id")
    public PageResponse<CustomerDto> list(
            @RequestParam(required = false) String q,
            @Parameter(description = "platform:buyerId") @RequestParam(required = false) String identity,
            @RequestParam(required = false) String tier,
            @RequestParam(required = false) String tag,
            @RequestParam(required = false) String country,
            @RequestParam(required = false) String lifecycle,
            @RequestParam(required = false) String level,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        CustomerQuery query = new CustomerQuery(q, identity, tier, tag, country, lifecycle, level);
        return customers.search(query, page, size).map(this::dto);
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "Customer 360 view",
            description = "The profile with identities and metrics, plus sections from other features: orders, "
                    + "returns, interactions, merges...")
    public Map<String, Object> get(@PathVariable String id) {
        return customers.view(id, rates.baseCurrency());
    }

    @GetMapping("/{id}/timeline")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "Everything that happened to a customer, newest first")
    public List<TimelineEntry> timeline(@PathVariable String id,
                                        @Parameter(description = "only entries before this instant (paging)")
                                        @RequestParam(required = false) Instant before,
                                        @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 500) {
            throw new BadRequestException("limit must be between 1 and 500");
        }
        return customers.timeline(id, before, limit);
    }

    @PatchMapping("/{id}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','SUPPORT')")
    @Operation(summary = "Edit profile fields", description = "Fields present in the body replace stored values")
    public CustomerDto patch(@PathVariable String id, @RequestBody CustomerPatch patch, Principal principal) {
        return dto(customers.patch(id, patch, principal.getName()));
    }

    public record MergeRequest(String otherId, String reason) {
    }

    @PostMapping("/{id}/merge")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','SUPPORT')")
    @Operation(summary = "Merge another customer into this one", description = "Reversible with /unmerge")
    public MergeRecord merge(@PathVariable String id, @RequestBody MergeRequest request, Principal principal) {
        if (request == null || request.otherId() == null || request.otherId().isBlank()) {
            throw new BadRequestException("otherId is required");
        }
        String reason = request.reason() == null ? "manual merge" : request.reason();
        return lock.call(() -> merger.merge(id, request.otherId(), reason, principal.getName()));
    }

    public record UnmergeRequest(String mergeId) {
    }

    @PostMapping("/{id}/unmerge")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','SUPPORT')")
    @Operation(summary = "Undo merges into this customer",
            description = "Without a mergeId every merge into this customer is undone (newest first). The absorbed "
                    + "profiles come back with their identities and the orders and events that arrived with them.")
    public List<MergeRecord> unmerge(@PathVariable String id, @RequestBody(required = false) UnmergeRequest request,
                                     Principal principal) {
        String mergeId = request == null ? null : request.mergeId();
        return lock.call(() -> merger.unmerge(id, mergeId, principal.getName()));
    }

    @GetMapping("/{id}/merges")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','SUPPORT')")
    @Operation(summary = "Merge history of a customer (as survivor or absorbed)")
    public List<MergeRecord> merges(@PathVariable String id) {
        return merger.history(id);
    }

    @GetMapping("/export")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Stream every matching customer as CSV or JSON lines", description = "Same filters as the list")
    public ResponseEntity<StreamingResponseBody> export(
            @RequestParam(defaultValue = "csv") String format,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String identity,
            @RequestParam(required = false) String tier,
            @RequestParam(required = false) String tag,
            @RequestParam(required = false) String country,
            @RequestParam(required = false) String lifecycle,
            @RequestParam(required = false) String level) {
        CustomerQuery query = new CustomerQuery(q, identity, tier, tag, country, lifecycle, level);
        customers.criteria(query); // validate parameters before the response starts streaming
        if (format.equals("csv") || format.equals("jsonl")) {
            Map<String, Object> filters = new java.util.LinkedHashMap<>();
            filters.put("format", format);
            filters.put("q", q);
            filters.put("identity", identity);
            filters.put("tier", tier);
            filters.put("tag", tag);
            filters.put("country", country);
            filters.put("lifecycle", lifecycle);
            filters.put("level", level);
            filters.values().removeIf(java.util.Objects::isNull);
            events.publishEvent(AuditEvent.personalDataExport("customers", "customer export (" + format + ")", filters));
        }
        return switch (format) {
            case "csv" -> ResponseEntity.ok()
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=customers.csv")
                    .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                    .body(out -> writeCsv(query, out));
            case "jsonl" -> ResponseEntity.ok()
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=customers.jsonl")
                    .contentType(new MediaType("application", "x-ndjson"))
                    .body(out -> writeJsonLines(query, out));
            default -> throw new BadRequestException("format must be csv or jsonl, not '" + format + "'");
        };
    }

    static final List<String> CSV_COLUMNS = List.of("id", "name", "emails", "phones", "country", "language",
            "timezone", "currency", "birthday", "identities", "tier", "tags", "lifecycle", "level", "order_count",
            "total_spend", "average_order_value", "return_count", "first_order_at", "last_order_at", "created_at");

    private void writeCsv(CustomerQuery query, java.io.OutputStream out) throws java.io.IOException {
        BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        try (Stream<Customer> stream = customers.stream(query);
             CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(CSV_COLUMNS.toArray(String[]::new)).get())) {
            for (Customer c : (Iterable<Customer>) stream::iterator) {
                CustomerMetrics m = c.getMetrics();
                csv.printRecord(c.getId(), c.name(), String.join(";", c.getEmails()), String.join(";", c.getPhones()),
                        c.getCountry(), c.getLanguage(), c.getTimezone(), c.getCurrency(), c.getBirthday(),
                        c.getIdentities().stream().map(i -> i.platform() + ":" + i.buyerId()).collect(Collectors.joining(";")),
                        c.getTier(), String.join(";", c.getTags()), c.getLifecycle(), c.getLevel(), m.orderCount(),
                        m.totalSpend().toPlainString(), m.averageOrderValue().toPlainString(), m.returnCount(),
                        m.firstOrderAt(), m.lastOrderAt(), c.getCreatedAt());
            }
        }
    }

    private void writeJsonLines(CustomerQuery query, java.io.OutputStream out) throws java.io.IOException {
        BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        try (Stream<Customer> stream = customers.stream(query)) {
            for (Customer c : (Iterable<Customer>) stream::iterator) {
                w.write(json.writeValueAsString(dto(c)));
                w.write('\n');
            }
        }
        w.flush();
    }

    private CustomerDto dto(Customer c) {
        return CustomerDto.of(c, rates.baseCurrency());
    }
}
