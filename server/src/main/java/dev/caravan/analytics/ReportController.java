package dev.caravan.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/analytics")
@Tag(name = "Analytics: reports", description = "Customer value, repurchase, cohorts, RFM, breakdowns, snapshots, "
        + "sales forecast and journey performance as JSON for charts; amounts in the base currency")
@PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
public class ReportController {

    private final ReportService reports;
    private final ForecastService forecasts;
    private final SnapshotService snapshots;
    private final JourneyReport journeys;
    private final ReportData data;

    public ReportController(ReportService reports, ForecastService forecasts, SnapshotService snapshots,
                            JourneyReport journeys, ReportData data) {
        this.reports = reports;
        this.forecasts = forecasts;
        this.snapshots = snapshots;
        this.journeys = journeys;
        this.data = data;
    }

    @GetMapping("/value/contribution")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Revenue contribution curve", description = "Share of revenue from the top x % of buyers (101 points) and the top-20 % share")
    public ReportService.Contribution contribution() {
        return reports.contribution();
    }

    @GetMapping("/tiers")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Customers and revenue per tier", description = "Tiers as the rules set them; customers without one under \"none\"")
    public ReportService.Groups tiers() {
        return reports.tiers();
    }

    @GetMapping("/clv/distribution")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Distribution of predicted CLV", description = "Quantiles and a histogram; the top 1 % fall into the last bucket")
    public ReportService.Distribution clvDistribution(@RequestParam(defaultValue = "20") int buckets) {
        return reports.clvDistribution(buckets);
    }

    @GetMapping("/clv/p-alive")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Distribution of P(alive)")
    public ReportService.Distribution pAliveDistribution(@RequestParam(defaultValue = "10") int buckets) {
        return reports.pAliveDistribution(buckets);
    }

    @GetMapping("/clv/at-risk")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "High-value customers at risk",
            description = "Historic spend at or above caravan.analytics.at-risk-spend-quantile and P(alive) below maxPAlive "
                    + "(default caravan.analytics.at-risk-p-alive), biggest spenders first")
    public List<ReportService.AtRisk> atRisk(@RequestParam(defaultValue = "50") int limit,
                                             @RequestParam(required = false) Double maxPAlive) {
        return reports.atRisk(limit, maxPAlive);
    }

    @GetMapping("/repurchase")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Repurchase rate", description = "Share of buyers with a second purchase day, overall and within 30..365 days of the first")
    public ReportService.Repurchase repurchase() {
        return reports.repurchase();
    }

    @GetMapping("/repurchase/due")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Customers whose estimated next order falls in [from, to)", description = "Defaults: the next 7 days")
    public List<ReportService.Due> due(@RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
                                       @RequestParam(defaultValue = "100") int limit) {
        Instant f = from == null ? data.clock().instant() : from;
        return reports.due(f, to == null ? f.plus(Duration.ofDays(7)) : to, limit);
    }

    @GetMapping("/time-between-orders")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Days between a customer's consecutive purchase days")
    public ReportService.Gaps timeBetweenOrders() {
        return reports.timeBetweenOrders();
    }

    @GetMapping("/cohorts")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Retention matrix by first-order month", description = "Share of each cohort buying in month k after its first")
    public ReportService.Cohorts cohorts(@RequestParam(defaultValue = "12") int months) {
        return reports.cohorts(months);
    }

    @GetMapping("/rfm")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "RFM grid", description = "Recency x frequency quintile scores (5 = best): customers and revenue per cell")
    public ReportService.RfmGrid rfm() {
        return reports.rfm();
    }

    @GetMapping("/breakdown/{by}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Orders, buyers and revenue per country, currency or platform")
    public ReportService.Breakdowns breakdown(@PathVariable String by) {
        return reports.breakdown(by);
    }

    @GetMapping("/snapshots")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Daily tier/lifecycle/level/tag sizes", description = "Taken nightly (caravan.analytics.snapshot-cron)")
    public List<SnapshotService.Snapshot> snapshots(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        return snapshots.between(from, to);
    }

    @PostMapping("/snapshots")
    @PreAuthorize("hasAnyRole('ADMIN','ANALYST')")
    @Operation(summary = "Take today's snapshot now (replaces today's)")
    public SnapshotService.Snapshot takeSnapshot() {
        return snapshots.take();
    }

    @GetMapping("/forecast")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Weekly sales forecast with backtest MAPE",
            description = "by = total, country or platform (the top groups by revenue). Holt-Winters (additive) or Holt's "
                    + "linear method, chosen by MAPE on the last holdoutWeeks complete weeks, then refitted on all weeks")
    public ForecastService.Forecast forecast(@RequestParam(defaultValue = "total") String by,
                                             @RequestParam(defaultValue = "12") int weeks,
                                             @RequestParam(defaultValue = "8") int holdoutWeeks,
                                             @RequestParam(defaultValue = "5") int top) {
        return forecasts.forecast(by, weeks, holdoutWeeks, top);
    }

    @GetMapping("/journeys")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','ANALYST')")
    @Operation(summary = "Journey/channel performance",
            description = "Sent, delivered, opened, clicked, converted and attributed revenue per journey, step, channel "
                    + "and variant (groupBy, comma-separated), for messages sent in [from, to); default the last 30 days")
    public JourneyReport.Report journeys(@RequestParam(required = false) Instant from,
                                         @RequestParam(required = false) Instant to,
                                         @RequestParam(defaultValue = "journey,step,channel,variant") List<String> groupBy) {
        Instant t = to == null ? data.clock().instant() : to;
        return journeys.report(from == null ? t.minus(Duration.ofDays(30)) : from, t, groupBy);
    }
}
