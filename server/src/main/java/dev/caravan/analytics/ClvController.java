package dev.caravan.analytics;

import java.security.Principal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.caravan.analytics.model.BgNbd;
import dev.caravan.common.job.Job;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
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
@RequestMapping("/api/v1/analytics/clv")
@Tag(name = "Analytics: CLV", description = "BG/NBD purchase and Gamma-Gamma spend models: fits, parameters, predictions")
public class ClvController {

    private final ClvService clv;

    public ClvController(ClvService clv) {
        this.clv = clv;
    }

    /** Optional JSON body of a fit request; query parameters of the same name take precedence. */
    public record FitRequest(LocalDate cutoff, String platform) {
    }

    /** A fit job as clients see it; {@code modelId} is set once the model is stored. */
    public record FitStatus(String jobId, String state, double percent, LocalDate cutoff, String platform,
                            Map<String, Long> counters, String message, String modelId, Instant createdAt,
                            Instant startedAt, Instant finishedAt) {
    }

    @PostMapping("/fit")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Fit the CLV models as a background job",
            description = "Answers 202 with the job; poll GET /analytics/clv/fit/{jobId}. cutoff (yyyy-MM-dd, default "
                    + "today) ends the observation: purchases after it are the holdout against which the job checks the "
                    + "predictions. platform fits that platform's buyers and purchases only. Only fits over all "
                    + "platforms with today's cut-off become the active model that writes predictions onto profiles.")
    public ResponseEntity<FitStatus> fit(
            @Parameter(description = "observation end, yyyy-MM-dd") @RequestParam(required = false)
            @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate cutoff,
            @RequestParam(required = false) String platform,
            @RequestBody(required = false) FitRequest body, Principal principal) {
        LocalDate c = cutoff != null ? cutoff : body == null ? null : body.cutoff();
        String p = platform != null ? platform : body == null ? null : body.platform();
        Job job = clv.submit(c, p, principal.getName());
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .header(HttpHeaders.LOCATION, "/api/v1/analytics/clv/fit/" + job.getId())
                .body(status(clv.job(job.getId())));
    }

    @GetMapping("/fit/{jobId}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "State of a fit job")
    public FitStatus fitStatus(@PathVariable String jobId) {
        return status(clv.job(jobId));
    }

    @GetMapping("/model")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "The latest fitted parameters",
            description = "r, alpha, a, b (BG/NBD; alpha in days) and p, q, v (Gamma-Gamma, base currency) with their "
                    + "log-likelihoods, standard errors, customer counts, cut-off and, for past cut-offs, the holdout "
                    + "check. platform selects the latest fit of one platform.")
    public ClvModel model(@RequestParam(required = false) String platform) {
        return clv.latest(platform).orElseThrow(() -> new NotFoundException(
                "no CLV model has been fitted" + (platform == null ? "" : " for platform " + platform)));
    }

    /** P(X(t) = n) for a new customer, with the expected number. */
    public record PurchaseDistribution(String modelId, int days, double expectedPurchases, List<Double> probabilities) {
    }

    @GetMapping("/model/purchase-distribution")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Probability of n repeat purchases of a new customer in her first `days` days",
            description = "From the latest fit over all platforms (BG/NBD eq. 8); probabilities for n = 0..max.")
    public PurchaseDistribution distribution(@RequestParam(defaultValue = "365") int days,
                                             @RequestParam(defaultValue = "10") int max) {
        if (days < 1 || days > 3650) throw new BadRequestException("days must be between 1 and 3650");
        if (max < 0 || max > 200) throw new BadRequestException("max must be between 0 and 200");
        ClvModel m = clv.latest(null).orElseThrow(() -> new NotFoundException("no CLV model has been fitted"));
        BgNbd model = m.purchases().model();
        List<Double> p = new ArrayList<>();
        for (int n = 0; n <= max; n++) p.add(model.probabilityOfPurchases(n, days));
        return new PurchaseDistribution(m.id(), days, model.expectedPurchasesNew(days), p);
    }

    private FitStatus status(Job j) {
        String cutoff = j.param("cutoff");
        return new FitStatus(j.getId(), j.getState().name(), j.getPercent(), cutoff == null ? null : LocalDate.parse(cutoff),
                j.param("platform"), j.getCounters(), j.getMessage(),
                j.getState().finished() ? clv.modelOfJob(j.getId()).map(ClvModel::id).orElse(null) : null,
                j.getCreatedAt(), j.getStartedAt(), j.getFinishedAt());
    }
}
