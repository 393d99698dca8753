package dev.caravan.campaign;

import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/campaigns")
@Tag(name = "Campaigns", description = "Broadcast campaigns to a segment, with A/B tests and local-time sending (docs/CAMPAIGNS.md)")
public class CampaignController {

    private final CampaignService campaigns;
    private final CampaignStats stats;
    private final DryRun dryRun;

    CampaignController(CampaignService campaigns, CampaignStats stats, DryRun dryRun) {
        this.campaigns = campaigns;
        this.stats = stats;
        this.dryRun = dryRun;
    }

    /** The API form of a campaign. */
    public record CampaignView(String id, String name, String description, String segmentId, List<String> channels,
                               String channelMode, List<Campaign.VariantSpec> variants, String link,
                               CampaignRequest.Schedule schedule, String couponDefinitionId, Double testShare,
                               Duration testWindow, String metric, List<String> excludeSegments,
                               Integer recentBuyersDays, boolean excludeInJourney, Integer perHour, String status,
                               String createdBy, Instant createdAt, Instant launchedAt, String launchJobId,
                               Instant testEndsAt, String winner, Instant winnerDecidedAt, Map<String, Double> winnerMetric,
                               Instant finishedAt, String message) {
        static CampaignView of(Campaign c) {
            return new CampaignView(c.id, c.name, c.description, c.segmentId, c.channels, c.channelMode, c.variants,
                    c.link, c.schedule, c.couponDefinitionId, c.testShare, c.testWindow, c.metric, c.excludeSegments,
                    c.recentBuyersDays, c.excludeInJourney, c.perHour, c.status, c.createdBy, c.createdAt, c.launchedAt,
                    c.launchJobId, c.testEndsAt, c.winner, c.winnerDecidedAt, c.winnerMetric, c.finishedAt, c.message);
        }
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Every campaign, newest first")
    public List<CampaignView> list() {
        return campaigns.list().stream().map(CampaignView::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Create a campaign (a draft until launched)")
    public CampaignView create(@RequestBody CampaignRequest request, Principal principal) {
        return CampaignView.of(campaigns.create(request, principal.getName()));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "One campaign")
    public CampaignView get(@PathVariable String id) {
        return CampaignView.of(campaigns.get(id));
    }

    @PostMapping("/dry-run")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Projected sends per channel per day of a campaign body, before creating it")
    public DryRun.Result dryRun(@RequestBody CampaignRequest request) {
        Campaign c = campaigns.validate(request);
        c.id = "dry-run";
        return dryRun.run(c);
    }

    @GetMapping("/{id}/dry-run")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Projected sends per channel per day if the campaign were launched now")
    public DryRun.Result dryRun(@PathVariable String id) {
        return dryRun.run(campaigns.get(id));
    }

    @PostMapping("/{id}/launch")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Launch a draft (or resume a paused campaign)",
            description = "Takes the audience now (segment minus suppressions) in a job; the campaign is 'launching' "
                    + "until it is stored, then 'testing' (A/B) or 'running'")
    public CampaignView launch(@PathVariable String id, Principal principal) {
        return CampaignView.of(campaigns.launch(id, principal.getName()));
    }

    @PostMapping("/{id}/pause")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Pause sending (messages already queued in messaging still go)")
    public CampaignView pause(@PathVariable String id) {
        return CampaignView.of(campaigns.pause(id));
    }

    @PostMapping("/{id}/resume")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Resume a paused campaign")
    public CampaignView resume(@PathVariable String id) {
        return CampaignView.of(campaigns.resume(id));
    }

    @PostMapping("/{id}/cancel")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER')")
    @Operation(summary = "Cancel: nothing more is handed to messaging")
    public CampaignView cancel(@PathVariable String id) {
        return CampaignView.of(campaigns.cancel(id));
    }

    @GetMapping("/{id}/stats")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Counts per variant: recipients, sent, suppressed (with reasons), delivered, opened, clicked, converted, revenue")
    public CampaignStats.Stats stats(@PathVariable String id) {
        return stats.of(campaigns.get(id));
    }
}
