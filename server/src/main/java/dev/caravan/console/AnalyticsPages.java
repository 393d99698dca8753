package dev.caravan.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.analytics.ClvController;
import dev.caravan.analytics.ForecastService;
import dev.caravan.analytics.ReportController;
import dev.caravan.analytics.ReportService;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.json.JsonMapper;

/** Charts of the analytics reports: cohort heat map, RFM grid, forecast with its error band, CLV, P(alive). */
@Controller
@Hidden
@RequestMapping("/analytics")
class AnalyticsPages {

    private final ReportController reports;
    private final ClvController clv;
    private final JsonMapper json;

    AnalyticsPages(ReportController reports, ClvController clv, JsonMapper json) {
        this.reports = reports;
        this.clv = clv;
        this.json = json;
    }

    @GetMapping
    String page(@RequestParam(defaultValue = "total") String by, Model model) {
        Fmt fmt = (Fmt) model.getAttribute("fmt");

        var cohorts = Section.load(() -> reports.cohorts(12));
        model.addAttribute("cohorts", cohorts);
        if (cohorts.ok() && !cohorts.value().cohorts().isEmpty()) {
            List<String> y = cohorts.value().cohorts().stream().map(ReportService.Cohort::month).toList();
            int months = cohorts.value().cohorts().stream().mapToInt(c -> c.retention().size()).max().orElse(0);
            List<String> x = new ArrayList<>();
            for (int m = 0; m < months; m++) x.add(String.valueOf(m));
            List<List<Object>> cells = new ArrayList<>();
            for (int r = 0; r < y.size(); r++) {
                List<Double> ret = cohorts.value().cohorts().get(r).retention();
                for (int m = 0; m < ret.size(); m++) {
                    if (ret.get(m) != null) cells.add(List.of(m, r, HomeController.round(ret.get(m) * 100)));
                }
            }
            model.addAttribute("cohortChart", Charts.json(json, Charts.heatmap(x, y, cells, 0, 40,
                    fmt.msg("analytics.monthsAfter"), "")));
        }

        var rfm = Section.load(reports::rfm);
        model.addAttribute("rfm", rfm);
        if (rfm.ok()) {
            List<String> scores = List.of("1", "2", "3", "4", "5");
            List<List<Object>> cells = new ArrayList<>();
            long max = 1;
            for (ReportService.RfmCell c : rfm.value().cells()) {
                cells.add(List.of(c.recency() - 1, c.frequency() - 1, c.customers()));
                max = Math.max(max, c.customers());
            }
            model.addAttribute("rfmChart", Charts.json(json, Charts.heatmap(scores, scores, cells, 0, max,
                    fmt.msg("analytics.recencyScore"), fmt.msg("analytics.frequencyScore"))));
            Map<String, ReportService.RfmCell> byKey = new LinkedHashMap<>();
            rfm.value().cells().forEach(c -> byKey.put(c.frequency() + "-" + c.recency(), c));
            model.addAttribute("rfmCells", byKey);
        }

        String groupBy = List.of("total", "country", "platform").contains(by) ? by : "total";
        model.addAttribute("by", groupBy);
        var forecast = Section.load(() -> reports.forecast(groupBy, 12, 8, 3));
        model.addAttribute("forecast", forecast);
        if (forecast.ok()) {
            List<String> charts = new ArrayList<>();
            for (ForecastService.Series s : forecast.value().series()) charts.add(Charts.json(json, forecastChart(s, fmt)));
            model.addAttribute("forecastCharts", charts);
        }

        var clvDist = Section.load(() -> reports.clvDistribution(20));
        model.addAttribute("clvDist", clvDist);
        if (clvDist.ok() && clvDist.value().customers() > 0) {
            model.addAttribute("clvChart", Charts.json(json, histogram(clvDist.value(), fmt.msg("dashboard.customers"), true)));
        }
        var pAlive = Section.load(() -> reports.pAliveDistribution(10));
        model.addAttribute("pAlive", pAlive);
        if (pAlive.ok() && pAlive.value().customers() > 0) {
            model.addAttribute("pAliveChart", Charts.json(json, histogram(pAlive.value(), fmt.msg("dashboard.customers"), false)));
        }
        model.addAttribute("repurchase", Section.load(reports::repurchase));
        model.addAttribute("gaps", Section.load(reports::timeBetweenOrders));
        model.addAttribute("model", Section.load(() -> clv.model(null)));
        return "console/analytics";
    }

    @PostMapping("/fit")
    String fit(Model model, RedirectAttributes redirect) {
        var status = clv.fit(null, null, null, Auth.current()).getBody();
        Fmt fmt = (Fmt) model.getAttribute("fmt");
        redirect.addFlashAttribute("flash", fmt.msg("analytics.fitStarted", status == null ? "" : status.jobId()));
        return "redirect:/analytics";
    }

    /** History, forecast and the error band: forecast × (1 ± backtest MAPE). */
    static Map<String, Object> forecastChart(ForecastService.Series s, Fmt fmt) {
        List<String> x = new ArrayList<>();
        List<Object> actual = new ArrayList<>();
        List<Object> predicted = new ArrayList<>();
        List<Object> lower = new ArrayList<>();
        List<Object> width = new ArrayList<>();
        double mape = s.backtest() == null || s.backtest().mape() == null ? 0 : s.backtest().mape();
        for (ForecastService.Week w : s.history()) {
            x.add(w.week().toString());
            actual.add(Math.round(w.revenue()));
            predicted.add(null);
            lower.add(null);
            width.add(null);
        }
        if (!s.history().isEmpty() && !s.forecast().isEmpty()) {
            // join the forecast line to the last actual week
            predicted.set(predicted.size() - 1, actual.get(actual.size() - 1));
        }
        for (ForecastService.Week w : s.forecast()) {
            x.add(w.week().toString());
            actual.add(null);
            predicted.add(Math.round(w.revenue()));
            double lo = Math.max(0, w.revenue() * (1 - mape));
            lower.add(Math.round(lo));
            width.add(Math.round(w.revenue() * (1 + mape) - lo));
        }
        Map<String, Object> o = Charts.base();
        o.put("tooltip", Map.of("trigger", "axis"));
        o.put("legend", Map.of("top", 0, "data", List.of(fmt.msg("analytics.actual"), fmt.msg("analytics.forecast"),
                fmt.msg("analytics.errorBand"))));
        o.put("grid", Map.of("left", 70, "right", 20, "top", 35, "bottom", 30));
        o.put("xAxis", Map.of("type", "category", "data", x, "boundaryGap", false));
        o.put("yAxis", Map.of("type", "value"));
        List<Map<String, Object>> series = new ArrayList<>();
        series.add(Map.of("name", fmt.msg("analytics.errorBand") + " ", "type", "line", "data", lower, "stack", "band",
                "lineStyle", Map.of("opacity", 0), "symbol", "none", "silent", true, "tooltip", Map.of("show", false)));
        series.add(Map.of("name", fmt.msg("analytics.errorBand"), "type", "line", "data", width, "stack", "band",
                "lineStyle", Map.of("opacity", 0), "symbol", "none", "areaStyle", Map.of("color", "#bfdbfe"),
                "color", "#93c5fd"));
        series.add(Map.of("name", fmt.msg("analytics.actual"), "type", "line", "data", actual, "showSymbol", false,
                "color", "#111827"));
        series.add(Map.of("name", fmt.msg("analytics.forecast"), "type", "line", "data", predicted, "showSymbol", false,
                "color", "#1d4ed8", "lineStyle", Map.of("type", "dashed", "width", 2)));
        o.put("series", series);
        return o;
    }

    static Map<String, Object> histogram(ReportService.Distribution d, String name, boolean money) {
        List<String> cats = d.histogram().stream().map(b -> money
                ? Math.round(b.from()) + "–" + Math.round(b.to())
                : String.format(java.util.Locale.ROOT, "%.1f–%.1f", b.from(), b.to())).toList();
        return Charts.bars(cats, Map.of(name, d.histogram().stream().map(ReportService.Bucket::count).toList()), false);
    }
}
