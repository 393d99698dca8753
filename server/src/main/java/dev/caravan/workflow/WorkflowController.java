package dev.caravan.workflow;

import java.util.List;
import java.util.Map;

import dev.caravan.common.audit.AuditEvent;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.NotFoundException;
import dev.caravan.common.web.ProblemHandler;
import dev.caravan.customer.CustomerService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Workflows", description = "Customer journeys (BPMN2): versions, dry-runs, instances, a customer's journeys")
public class WorkflowController {

    private static final List<String> RESERVED = List.of("holidays", "instances");

    private final JourneyService journeys;
    private final JourneyRuntime runtime;
    private final JourneyQueries queries;
    private final DryRunService dryRuns;
    private final HolidayCalendars calendars;
    private final CustomerService customers;
    private final ApplicationEventPublisher events;

    public WorkflowController(JourneyService journeys, JourneyRuntime runtime, JourneyQueries queries, DryRunService dryRuns,
                              HolidayCalendars calendars, CustomerService customers, ApplicationEventPublisher events) {
        this.events = events;
        this.journeys = journeys;
        this.runtime = runtime;
        this.queries = queries;
        this.dryRuns = dryRuns;
        this.calendars = calendars;
        this.customers = customers;
    }

    @GetMapping("/api/v1/workflows")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "List journeys", description = "Each journey with its current and latest version, triggers and cool-down")
    public List<Map<String, Object>> list() {
        return journeys.list();
    }

    @GetMapping("/api/v1/workflows/{id}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "One journey with all its versions")
    public Map<String, Object> get(@PathVariable String id) {
        return journeys.describe(id);
    }

    @GetMapping(value = "/api/v1/workflows/{id}/bpmn", produces = MediaType.APPLICATION_XML_VALUE)
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "The BPMN of a journey version (current when no version is given)")
    public String bpmn(@PathVariable String id, @RequestParam(required = false) Integer version) {
        return journeys.bpmn(id, version);
    }

    @PutMapping(value = "/api/v1/workflows/{id}", consumes = {MediaType.APPLICATION_XML_VALUE, MediaType.TEXT_XML_VALUE,
            MediaType.TEXT_PLAIN_VALUE, "application/bpmn+xml", MediaType.APPLICATION_OCTET_STREAM_VALUE})
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Deploy a new version of a journey (BPMN2 XML)",
            description = "Validated and compiled first; invalid BPMN is refused with 422 and the previous version keeps "
                    + "running. New instances use the new version; running ones finish on theirs. MARKETER uploads may "
                    + "only use the palette steps and simple comparisons; scripts and other code need ADMIN.")
    public Map<String, Object> put(@PathVariable String id, @RequestBody(required = false) String bpmn, Authentication auth) {
        if (RESERVED.contains(id)) throw new BadRequestException("'" + id + "' is reserved and cannot be a journey id");
        boolean admin = auth.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN"));
        String before = currentBpmn(id);
        Map<String, Object> deployed = journeys.deploy(id, bpmn, admin, auth.getName());
        events.publishEvent(AuditEvent.change(AuditEvent.Actions.WORKFLOW_DEPLOY, "workflow:" + id,
                "deployed journey " + id, before == null ? Map.of() : Map.of(id + ".bpmn", before),
                Map.of(id + ".bpmn", bpmn == null ? "" : bpmn)).with(versionOf(deployed)));
        return deployed;
    }

    public record RollbackRequest(Integer version) {
    }

    @PostMapping("/api/v1/workflows/{id}/rollback")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Make an earlier version current again", description = "Body {\"version\": n}; without it the version before the current one")
    public Map<String, Object> rollback(@PathVariable String id, @RequestBody(required = false) RollbackRequest request,
                                        Authentication auth) {
        Integer version = request == null ? null : request.version();
        if (version == null) {
            int current = journeys.require(id).currentVersion();
            if (current <= 1) throw new BadRequestException("journey " + id + " has no earlier version");
            version = current - 1;
        }
        String before = currentBpmn(id);
        Map<String, Object> rolledBack = journeys.rollback(id, version, auth.getName());
        events.publishEvent(AuditEvent.change(AuditEvent.Actions.WORKFLOW_ROLLBACK, "workflow:" + id,
                "journey " + id + " rolled back to version " + version,
                before == null ? Map.of() : Map.of(id + ".bpmn", before),
                Map.of(id + ".bpmn", journeys.bpmn(id, version))).with(Map.of("version", version)));
        return rolledBack;
    }

    private String currentBpmn(String id) {
        try {
            return journeys.bpmn(id, null);
        } catch (NotFoundException e) {
            return null;
        }
    }

    private static Map<String, Object> versionOf(Map<String, Object> deployed) {
        Object v = deployed == null ? null : deployed.get("version");
        return v == null ? Map.of() : Map.of("version", v);
    }

    @PostMapping("/api/v1/workflows/{id}/dry-run")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Simulate a journey over the current customers for the next days",
            description = "With a candidate BPMN in the body, or the deployed version without one. Nothing is sent or "
                    + "stored. Returns how many customers would enter, the steps they would reach, projected messages "
                    + "per channel per day after consent and quiet hours, and sample customers with their paths.")
    public Map<String, Object> dryRun(@PathVariable String id, @RequestBody(required = false) String bpmn,
                                      @Parameter(description = "days to simulate (1-90)") @RequestParam(defaultValue = "30") int days,
                                      @Parameter(description = "sample customers in the answer") @RequestParam(defaultValue = "5") int samples,
                                      @Parameter(description = "most customers simulated") @RequestParam(defaultValue = "10000") int limit,
                                      Authentication auth) {
        if (days < 1 || days > 90) throw new BadRequestException("days must be between 1 and 90");
        if (samples < 0 || samples > 100 || limit < 1 || limit > 200_000) {
            throw new BadRequestException("samples must be 0-100 and limit 1-200000");
        }
        boolean admin = auth.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN"));
        String xml = bpmn == null || bpmn.isBlank() ? journeys.bpmn(id, null) : bpmn;
        return dryRuns.run(id, xml, admin, days, samples, limit);
    }

    @GetMapping("/api/v1/workflows/{id}/instances")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "Instance counts of a journey by state, version and step")
    public Map<String, Object> instances(@PathVariable String id) {
        journeys.require(id);
        return queries.counts(id);
    }

    @GetMapping("/api/v1/workflows/{id}/instances/list")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "A journey's instances, newest first: customer, version, status, current steps, outcome, times")
    public List<Map<String, Object>> instanceList(@PathVariable String id,
                                                  @Parameter(description = "ACTIVE, COMPLETED, ABORTED, CANCELLED or ERROR") @RequestParam(required = false) String status,
                                                  @Parameter(description = "most instances (1-500)") @RequestParam(defaultValue = "50") int limit) {
        journeys.require(id);
        return queries.instances(id, status, limit);
    }

    @PostMapping(value = "/api/v1/workflows/{id}/validate", consumes = {MediaType.APPLICATION_XML_VALUE, MediaType.TEXT_XML_VALUE,
            MediaType.TEXT_PLAIN_VALUE, "application/bpmn+xml", MediaType.APPLICATION_OCTET_STREAM_VALUE})
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Validate a candidate BPMN without deploying it",
            description = "The same checks as a deploy by the caller (MARKETER: palette steps and simple comparisons only): "
                    + "200 with the triggers and steps, or 422 with `problems` (`message`, `element`, `line`)")
    public Map<String, Object> validate(@PathVariable String id, @RequestBody(required = false) String bpmn, Authentication auth) {
        if (RESERVED.contains(id)) throw new BadRequestException("'" + id + "' is reserved and cannot be a journey id");
        boolean admin = auth.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN"));
        return journeys.validate(id, bpmn, admin);
    }

    @DeleteMapping("/api/v1/workflows/instances/{instanceId}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','SUPPORT')")
    @Operation(summary = "Cancel a running journey instance")
    public Map<String, Object> cancel(@PathVariable String instanceId, Authentication auth) {
        if (!runtime.cancel(instanceId, "cancelled by " + auth.getName())) {
            throw new NotFoundException("no running journey instance " + instanceId);
        }
        return JourneyQueries.view(runtime.instances.meta(instanceId));
    }

    @GetMapping("/api/v1/customers/{id}/journeys")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "A customer's current and past journeys with each step and its time")
    public List<Map<String, Object>> customerJourneys(@PathVariable String id) {
        customers.get(id);
        return queries.ofCustomer(id);
    }

    @GetMapping("/api/v1/customers/{id}/journeys/trace")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "Why did or didn't this customer get this message",
            description = "Send decisions (sent, or the rule that blocked them) with journey and step, the paths of the "
                    + "customer's journeys, and refused entries (already running, cool-down)")
    public Map<String, Object> trace(@PathVariable String id, @RequestParam(required = false) String template,
                                     @RequestParam(required = false) String journey) {
        customers.get(id);
        return queries.trace(id, template, journey);
    }

    @GetMapping(value = "/api/v1/workflows/holidays", produces = "text/csv")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "The holiday calendar of the holiday journey (CSV)")
    public String holidays() {
        return calendars.current().source();
    }

    @PutMapping(value = "/api/v1/workflows/holidays", consumes = {"text/csv", MediaType.TEXT_PLAIN_VALUE})
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Replace the holiday calendar (CSV, same columns as workflows/holidays.csv)")
    public Map<String, Object> putHolidays(@RequestBody(required = false) String csv, Authentication auth) {
        if (csv == null || csv.isBlank()) throw new BadRequestException("the calendar is empty");
        return Map.of("holidays", calendars.upload(csv, auth.getName()).holidays().size());
    }

    @PostMapping(value = "/api/v1/workflows/holidays/validate", consumes = {"text/csv", MediaType.TEXT_PLAIN_VALUE})
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Check a holiday calendar (CSV) without saving it", description = "400 naming the bad row, else the number of holidays")
    public Map<String, Object> validateHolidays(@RequestBody(required = false) String csv) {
        if (csv == null || csv.isBlank()) throw new BadRequestException("the calendar is empty");
        return Map.of("holidays", HolidayCalendar.parse(csv).holidays().size());
    }

    @ExceptionHandler(InvalidBpmnException.class)
    ProblemDetail invalid(InvalidBpmnException e) {
        ProblemDetail p = ProblemHandler.problem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid journey", e.getMessage(), List.of());
        p.setProperty("problems", e.problems());
        return p;
    }
}
