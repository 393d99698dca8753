package dev.caravan.privacy;

import java.security.Principal;
import java.time.Duration;
import java.time.format.DateTimeParseException;

import dev.caravan.common.job.Job;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/privacy/retention")
@Tag(name = "Data-subject rights", description = "GDPR/CCPA export and erasure of one person's data")
public class RetentionController {

    private final RetentionService retention;

    RetentionController(RetentionService retention) {
        this.retention = retention;
    }

    @GetMapping("/preview")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Dry run: how many customers a retention run would anonymise now")
    public RetentionService.Preview preview(
            @Parameter(description = "ISO-8601 period, e.g. P730D; default caravan.privacy.retention.inactive-for")
            @RequestParam(required = false) String inactiveFor) {
        return retention.preview(period(inactiveFor));
    }

    @PostMapping("/runs")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Anonymise inactive customers now (a job; poll /runs/{jobId})",
            description = "Runs whether or not the scheduled job is enabled.")
    public Job run(@RequestParam(required = false) String inactiveFor, Principal principal) {
        return retention.start(period(inactiveFor), principal.getName());
    }

    @GetMapping("/runs/{jobId}")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Progress of a retention run")
    public Job job(@PathVariable String jobId) {
        return retention.job(jobId).orElseThrow(() -> new NotFoundException("no retention run " + jobId));
    }

    private static Duration period(String s) {
        if (s == null || s.isBlank()) return null;
        try {
            Duration d = Duration.parse(s.trim());
            if (d.isNegative() || d.isZero()) throw new BadRequestException("inactiveFor must be positive");
            return d;
        } catch (DateTimeParseException e) {
            throw new BadRequestException("inactiveFor must be an ISO-8601 duration such as P730D, not '" + s + "'");
        }
    }
}
