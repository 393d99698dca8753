package dev.caravan.loyalty;

import java.security.Principal;
import java.util.Map;

import dev.caravan.common.job.Job;
import dev.caravan.common.web.BadRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
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

@RestController
@RequestMapping("/api/v1/loyalty")
@Tag(name = "Loyalty", description = "Membership benefits per level, points expiry and the ledger reconciliation")
public class LoyaltyController {

    private final BenefitsService benefits;
    private final PointsService points;
    private final Reconciliation reconciliation;

    public LoyaltyController(BenefitsService benefits, PointsService points, Reconciliation reconciliation) {
        this.benefits = benefits;
        this.points = points;
        this.reconciliation = reconciliation;
    }

    @GetMapping("/benefits")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT')")
    @Operation(summary = "The benefits of each membership level")
    public BenefitsService.Benefits getBenefits() {
        return benefits.current();
    }

    public record BenefitsUpdate(Map<String, LevelBenefits> levels) {
    }

    @PutMapping("/benefits")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Replace the benefits of every level",
            description = "{levels: {gold: {discountPercent, freeShipping, birthdayGift: {points, couponDefinitionId, "
                    + "description}, earlyAccess, description}}}; levels left out have none")
    public BenefitsService.Benefits putBenefits(@RequestBody BenefitsUpdate body, Principal principal) {
        if (body == null) throw new BadRequestException("levels is required");
        return benefits.replace(body.levels(), principal.getName());
    }

    @PostMapping("/expiry")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Expire due points now (the nightly job does it too)")
    public Map<String, Long> expire() {
        return points.expireDue();
    }

    @PostMapping("/reconciliation")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasAnyRole('ADMIN','ANALYST')")
    @Operation(summary = "Check that every balance is the sum of its ledger (a job)",
            description = "Counters: accounts, entries, points, negativeBalances, problems, repaired; problems are the "
                    + "job's warnings. repair=true (ADMIN) rewrites stored balances from the entries and issues missing "
                    + "coupons of redemptions.")
    public Job reconcile(@RequestParam(defaultValue = "false") boolean repair,
                         org.springframework.security.core.Authentication auth) {
        boolean admin = auth.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN"));
        if (repair && !admin) {
            throw new org.springframework.security.access.AccessDeniedException("only ADMIN may repair");
        }
        return reconciliation.submit(auth.getName(), repair);
    }

    @GetMapping("/reconciliation/{jobId}")
    @PreAuthorize("hasAnyRole('ADMIN','ANALYST')")
    @Operation(summary = "State and findings of a reconciliation")
    public Job reconciliation(@PathVariable String jobId) {
        return reconciliation.get(jobId);
    }
}
