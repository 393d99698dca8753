package dev.caravan.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.analytics.ReportController;
import dev.caravan.analytics.ReportService;
import dev.caravan.analytics.SnapshotService;
import dev.caravan.customer.CustomerController;
import dev.caravan.messaging.MessageController;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.LocaleResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Sign-in page, language switch and the dashboard. */
@Controller
@Hidden
class HomeController {

    static final List<String> LIFECYCLES = List.of("new", "active", "dormant", "churned");

    private final ReportController reports;
    private final CustomerController customers;
    private final MessageController messages;
    private final LocaleResolver locales;
    private final JsonMapper json;
    private final Clock clock;

    private final dev.caravan.security.Pseudonyms pseudonyms;

    HomeController(ReportController reports, CustomerController customers, MessageController messages,
                   LocaleResolver locales, JsonMapper json, Clock clock, dev.caravan.security.Pseudonyms pseudonyms) {
        this.pseudonyms = pseudonyms;
        this.reports = reports;
        this.customers = customers;
        this.messages = messages;
        this.locales = locales;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping("/login")
    String login() {
        return "console/login";
    }

    /** Switches the console language and goes back to the page the user was on (a path on this server only). */
    @GetMapping("/lang")
    String lang(@RequestParam(name = "l") String language, @RequestParam(required = false) String to,
                HttpServletRequest request, HttpServletResponse response) {
        locales.setLocale(request, response, ConsoleLocaleResolver.supported(language));
        return "redirect:" + safeTarget(to);
    }

    /** Only local paths: never another host ("//evil", "https://..."), so the switch cannot be an open redirect. */
    static String safeTarget(String to) {
        if (to == null || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\") || to.contains("\r")
                || to.contains("\n")) {
            return "/";
        }
        return to;
    }

    /** A number with a label, for the dashboard's chart tables. */
    public record Row(String key, String label, double value, double share) {
    }

    @GetMapping("/")
    String dashboard(Model model) {
        Fmt fmt = (Fmt) model.getAttribute("fmt");
        Section<ReportService.Groups> tiers = Section.load(reports::tiers);
        model.addAttribute("tiers", tiers);
        if (tiers.ok() && !tiers.value().groups().isEmpty()) {
            List<ReportService.Group> g = tiers.value().groups();
            model.addAttribute("tierChart", Charts.json(json, Charts.pie(
                    g.stream().map(x -> fmt.label("tier", "none".equals(x.key()) ? null : x.key())).toList(),
                    g.stream().map(ReportService.Group::customers).toList())));
            model.addAttribute("tierRevenueChart", Charts.json(json, Charts.bars(
                    g.stream().map(x -> fmt.label("tier", "none".equals(x.key()) ? null : x.key())).toList(),
                    Map.of(fmt.msg("dashboard.revenueShare"), g.stream().map(x -> round(x.revenueShare() * 100)).toList()),
                    false)));
        }

        Section<List<Row>> lifecycle = Section.load(() -> {
            List<Row> rows = new ArrayList<>();
            for (String stage : LIFECYCLES) {
                long n = customers.list(null, null, null, null, null, stage, null, 0, 1).totalElements();
                rows.add(new Row(stage, fmt.label("lifecycle", stage), n, 0));
            }
            return rows;
        });
        model.addAttribute("lifecycle", lifecycle);
        if (lifecycle.ok()) {
            model.addAttribute("lifecycleChart", Charts.json(json, Charts.bars(
                    lifecycle.value().stream().map(Row::label).toList(),
                    Map.of(fmt.msg("dashboard.customers"), lifecycle.value().stream().map(Row::value).toList()), false)));
        }

        for (String by : List.of("country", "platform")) {
            Section<ReportService.Breakdowns> b = Section.load(() -> reports.breakdown(by));
            model.addAttribute(by, b);
            if (b.ok() && !b.value().groups().isEmpty()) {
                List<ReportService.Breakdown> top = b.value().groups().stream().limit(10).toList();
                model.addAttribute(by + "Chart", Charts.json(json, Charts.bars(
                        top.stream().map(ReportService.Breakdown::key).toList(),
                        Map.of(fmt.msg("dashboard.buyers"), top.stream().map(ReportService.Breakdown::customers).toList()),
                        true)));
            }
        }

        Section<ReportService.Contribution> contribution = Section.load(reports::contribution);
        model.addAttribute("contribution", contribution);
        if (contribution.ok() && contribution.value().customers() > 0) {
            List<ReportService.Point> curve = contribution.value().curve();
            model.addAttribute("contributionChart", Charts.json(json, Charts.lines(
                    curve.stream().map(p -> Math.round(p.customerShare() * 100) + "%").toList(),
                    Map.of(fmt.msg("dashboard.revenueShare"), curve.stream().map(p -> round(p.revenueShare() * 100)).toList()),
                    "{value}%")));
        }

        model.addAttribute("atRisk", Section.load(() -> pseudonyms.mask(reports.atRisk(10, null), new tools.jackson.core.type.TypeReference<List<ReportService.AtRisk>>() { })));

        Instant since = clock.instant().minus(Duration.ofDays(30));
        Section<List<Map<String, Object>>> stats = Section.load(() -> {
            JsonNode rows = json.valueToTree(messages.stats(since, null, "channel"));
            List<Map<String, Object>> out = new ArrayList<>();
            for (JsonNode r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("channel", r.path("group").path("channel").asString(""));
                for (String f : List.of("total", "sent", "delivered", "read", "suppressed", "failed", "conversions")) {
                    m.put(f, r.path(f).asLong(0));
                }
                m.put("revenue", r.path("revenueBase").isMissingNode() || r.path("revenueBase").isNull() ? null
                        : r.path("revenueBase").decimalValue());
                out.add(m);
            }
            return out;
        });
        model.addAttribute("messageStats", stats);
        if (stats.ok()) {
            long sent = 0;
            long converted = 0;
            for (Map<String, Object> m : stats.value()) {
                sent += (long) m.get("sent") + (long) m.get("delivered") + (long) m.get("read");
                converted += (long) m.get("conversions");
            }
            model.addAttribute("messagesSent", sent);
            model.addAttribute("messagesConverted", converted);
        }

        Section<List<SnapshotService.Snapshot>> snapshots = Section.load(() ->
                reports.snapshots(LocalDate.now(clock).minusDays(90), null));
        model.addAttribute("snapshots", snapshots);
        if (snapshots.ok() && snapshots.value().size() >= 2) {
            List<SnapshotService.Snapshot> s = snapshots.value();
            Map<String, List<? extends Number>> series = new LinkedHashMap<>();
            for (String tier : List.of("core", "growth", "base")) {
                series.put(fmt.label("tier", tier), s.stream().map(x -> x.tiers() == null ? 0L
                        : x.tiers().getOrDefault(tier, 0L)).toList());
            }
            model.addAttribute("trendChart", Charts.json(json, Charts.lines(
                    s.stream().map(x -> fmt.date(x.date())).toList(), series, null)));
        }
        return "console/dashboard";
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
