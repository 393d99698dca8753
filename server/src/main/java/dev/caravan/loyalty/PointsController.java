package dev.caravan.loyalty;

import java.security.Principal;
import java.time.Instant;
import java.util.Map;

import dev.caravan.common.web.BadRequestException;
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
@RequestMapping("/api/v1/customers/{id}/points")
@Tag(name = "Loyalty points", description = "A customer's points ledger: balance, expiring points, history, "
        + "redemption for coupons, bonuses and manual adjustments")
public class PointsController {

    private final PointsService points;
    private final LoyaltyProperties props;

    public PointsController(PointsService points, LoyaltyProperties props) {
        this.points = points;
        this.props = props;
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST','SUPPORT','INGEST')")
    @Operation(summary = "Balance, points expiring soon and the ledger, newest first",
            description = "The balance is the sum of the ledger entries; points past their expiry are booked as "
                    + "expired before answering. Page with before= (the at of the last entry shown).")
    public Map<String, Object> get(@PathVariable String id,
                                   @RequestParam(required = false) Integer limit,
                                   @Parameter(description = "only entries booked before this instant")
                                   @RequestParam(required = false) Instant before) {
        int n = limit == null ? props.historyLimit() : limit;
        if (n < 0 || n > 1000) throw new BadRequestException("limit must be 0..1000");
        return points.view(id, n, before);
    }

    public record RedeemRequest(String definitionId, String requestId) {
    }

    @PostMapping("/redeem")
    @PreAuthorize("hasAnyRole('ADMIN','SUPPORT','INGEST')")
    @Operation(summary = "Spend points on a coupon",
            description = "Debits the definition's pointsCost and issues one of its codes. Refused (409) beyond the "
                    + "balance. Send a requestId: a retry with the same one returns the same code (200) instead of "
                    + "buying a second one (201).")
    public ResponseEntity<PointsService.Redemption> redeem(@PathVariable String id, @RequestBody RedeemRequest body,
                                                           Principal principal) {
        if (body == null || body.definitionId() == null || body.definitionId().isBlank()) {
            throw new BadRequestException("definitionId is required: the coupon definition to buy");
        }
        PointsService.Redemption r = points.redeem(id, body.definitionId(), body.requestId(), principal.getName());
        return ResponseEntity.status(r.duplicate() ? HttpStatus.OK : HttpStatus.CREATED).body(r);
    }

    public record AdjustmentRequest(Long points, String reason, String requestId) {
    }

    @PostMapping("/adjustments")
    @PreAuthorize("hasAnyRole('ADMIN','SUPPORT')")
    @Operation(summary = "Correct a balance by hand, with a reason",
            description = "points positive or negative (a negative one may not take the balance below zero); "
                    + "idempotent by requestId")
    public ResponseEntity<PointsService.Booked> adjust(@PathVariable String id, @RequestBody AdjustmentRequest body,
                                                       Principal principal) {
        if (body == null || body.points() == null) throw new BadRequestException("points is required");
        PointsService.Booked b = points.adjust(id, body.points(), body.reason(), body.requestId(), principal.getName());
        return ResponseEntity.status(b.entries().isEmpty() ? HttpStatus.OK : HttpStatus.CREATED).body(b);
    }

    public record BonusRequest(String kind, String sourceId, Long points, String note) {
    }

    @PostMapping("/bonus")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','SUPPORT','INGEST')")
    @Operation(summary = "Award bonus points once per kind and source",
            description = "kind review|birthday|referral|other; sourceId names what it is for (the review's event id, "
                    + "the referred customer...); points default to the rule parameter loyalty-bonus-<kind>")
    public ResponseEntity<PointsService.Booked> bonus(@PathVariable String id, @RequestBody BonusRequest body,
                                                      Principal principal) {
        if (body == null) throw new BadRequestException("kind and sourceId are required");
        PointsService.Booked b = points.bonus(id, body.kind(), body.sourceId(), body.points(), body.note(),
                principal.getName());
        return ResponseEntity.status(b.entries().isEmpty() ? HttpStatus.OK : HttpStatus.CREATED).body(b);
    }
}
