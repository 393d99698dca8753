package dev.caravan.loyalty.coupon;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.Map;

import dev.caravan.common.job.Job;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
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

@RestController
@RequestMapping("/api/v1/coupons")
@Tag(name = "Coupons", description = "Coupon definitions, unique single-use and shared codes, issuing, bulk "
        + "generation, CSV export for marketplaces and shops, statistics and revenue by issuing journey or campaign")
public class CouponController {

    private final CouponDefinitions definitions;
    private final CouponService coupons;
    private final CouponReports reports;

    public CouponController(CouponDefinitions definitions, CouponService coupons, CouponReports reports) {
        this.definitions = definitions;
        this.coupons = coupons;
        this.reports = reports;
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "Coupon definitions, newest first",
            description = "includeAuto also lists the definitions created automatically for journeys and campaigns")
    public PageResponse<CouponDefinition> list(@RequestParam(defaultValue = "0") int page,
                                               @RequestParam(defaultValue = "50") int size,
                                               @RequestParam(defaultValue = "false") boolean includeAuto) {
        return definitions.list(page, size, includeAuto);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Create a coupon definition",
            description = "kind percentage|fixed|free_shipping, value, currency, minOrder, validFrom/validTo, validDays, "
                    + "codeMode unique|shared (+ sharedCode), prefix, perCustomerLimit, totalLimit, eligibleLevels, "
                    + "eligibleTiers, eligibleSegments, pointsCost, journeyId/campaignId (default attribution)")
    public CouponDefinition create(@RequestBody DefinitionInput input, Principal principal) {
        if (input == null) throw new BadRequestException("a coupon definition is required");
        return definitions.create(input, principal.getName());
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "One coupon definition")
    public CouponDefinition get(@PathVariable String id) {
        return definitions.get(id);
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Replace a definition's terms",
            description = "codeMode and the shared code cannot change; issued codes keep their value")
    public CouponDefinition update(@PathVariable String id, @RequestBody DefinitionInput input, Principal principal) {
        if (input == null) throw new BadRequestException("a coupon definition is required");
        return definitions.update(id, input, principal.getName());
    }

    public record IssueBody(String customerId, String value, Instant expiresAt, String idempotencyKey,
                            String journeyId, String journeyInstanceId, String stepId, String campaignId) {
    }

    @PostMapping("/{id}/issue")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','SUPPORT','INGEST')")
    @Operation(summary = "Issue a code of this definition to a customer",
            description = "A unique single-use code (or the shared code). Idempotent by idempotencyKey. journeyId/"
                    + "journeyInstanceId/stepId or campaignId attribute its redemption's revenue.")
    public ResponseEntity<CouponService.IssuedCoupon> issue(@PathVariable String id, @RequestBody IssueBody body,
                                                            Principal principal) {
        if (body == null) throw new BadRequestException("customerId is required");
        Attribution a = body.journeyId() != null ? Attribution.journey(body.journeyId(), body.journeyInstanceId(), body.stepId())
                : body.campaignId() != null ? Attribution.campaign(body.campaignId()) : Attribution.of("api");
        CouponService.IssuedCoupon c = coupons.issue(new CouponService.IssueRequest(id, body.customerId(), body.value(),
                body.expiresAt(), a, body.idempotencyKey()));
        return ResponseEntity.status(c.duplicate() ? HttpStatus.OK : HttpStatus.CREATED).body(c);
    }

    public record GenerateBody(Integer count) {
    }

    @PostMapping("/{id}/codes")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Generate unassigned unique codes in bulk (a job)",
            description = "Poll GET /api/v1/coupons/jobs/{jobId}; then export them for upload")
    public Job generate(@PathVariable String id, @RequestBody GenerateBody body, Principal principal) {
        if (body == null || body.count() == null) throw new BadRequestException("count is required");
        return coupons.generate(id, body.count(), principal.getName());
    }

    @GetMapping("/jobs/{jobId}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Progress of a bulk code generation")
    public Job job(@PathVariable String jobId) {
        return coupons.job(jobId);
    }

    @GetMapping("/{id}/codes")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "The codes of a definition", description = "status: available, issued, redeemed, void, active or all")
    public PageResponse<CouponCode> codes(@PathVariable String id, @RequestParam(required = false) String status,
                                          @RequestParam(defaultValue = "0") int page,
                                          @RequestParam(defaultValue = "100") int size) {
        return reports.codes(id, status, page, size);
    }

    @GetMapping("/{id}/export")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Export codes as CSV for upload to marketplaces or shops",
            description = "format=generic (every column) or shopify (a single Code column); status filter as above "
                    + "(default available: the codes nobody holds yet)")
    public ResponseEntity<StreamingResponseBody> export(
            @PathVariable String id,
            @Parameter(description = "generic or shopify") @RequestParam(defaultValue = "generic") String format,
            @RequestParam(defaultValue = "available") String status) {
        reports.checkExport(id, format, status);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=" + id + "-" + format + ".csv")
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .body(out -> reports.export(id, format, status, out));
    }

    @GetMapping("/{id}/stats")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Codes, redemptions, rejections and revenue of a definition, also by issuing journey/campaign")
    public Map<String, Object> stats(@PathVariable String id) {
        return reports.stats(id);
    }

    @GetMapping("/attribution")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Codes and redemption revenue attributed to one journey or campaign, over all definitions")
    public Map<String, Object> attribution(@RequestParam(required = false) String journeyId,
                                           @RequestParam(required = false) String campaignId) {
        return reports.attribution(journeyId, campaignId);
    }

    @GetMapping("/codes/{code}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT','INGEST')")
    @Operation(summary = "Look a code up: definition, holder, status, redemption, rejected attempts")
    public CouponCode code(@PathVariable String code) {
        return coupons.code(code);
    }
}
