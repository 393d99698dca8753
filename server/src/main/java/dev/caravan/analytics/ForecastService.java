package dev.caravan.analytics;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import dev.caravan.analytics.ReportData.OrderRow;
import dev.caravan.analytics.model.HoltWinters;
import dev.caravan.analytics.model.NonConvergenceException;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.money.ExchangeRateService;
import org.springframework.stereotype.Service;

/**
 * Weekly sales forecast (base-currency revenue of all counted orders, guests included, weeks from Monday in the
 * analytics zone; the running week is left out). Additive Holt-Winters: each candidate season length
 * ({@code caravan.analytics.forecast-seasons}) that the training data cover twice, and Holt's linear method
 * without a season, is fitted on all weeks but the last {@code holdoutWeeks}; the candidate with the lowest MAPE on
 * those held-back weeks is refitted on every week and forecasts {@code weeks} ahead, reported with its backtest.
 */
@Service
public class ForecastService {

    private final ReportData data;
    private final AnalyticsProperties props;
    private final ExchangeRateService rates;
    private final ZoneId zone;

    public ForecastService(ReportData data, AnalyticsProperties props, ExchangeRateService rates) {
        this.data = data;
        this.props = props;
        this.rates = rates;
        this.zone = ZoneId.of(props.zone());
    }

    public record Week(LocalDate week, double revenue) {
    }

    public record Backtest(int weeks, Double mape, List<Week> actual, List<Week> predicted) {
    }

    public record Series(String key, String method, int seasonWeeks, double alpha, double beta, double gamma,
                         Backtest backtest, List<Week> history, List<Week> forecast, String note) {
    }

    public record Forecast(String currency, String by, int weeks, int holdoutWeeks, List<Series> series) {
    }

    public Forecast forecast(String by, int weeks, int holdoutWeeks, int top) {
        if (weeks < 1 || weeks > 104) throw new BadRequestException("weeks must be between 1 and 104");
        if (holdoutWeeks < 1 || holdoutWeeks > 52) throw new BadRequestException("holdoutWeeks must be between 1 and 52");
        if (top < 1 || top > 50) throw new BadRequestException("top must be between 1 and 50");
        Function<OrderRow, String> key = switch (by == null ? "total" : by) {
            case "total" -> o -> "total";
            case "country" -> o -> Objects.requireNonNullElse(o.country(), "unknown");
            case "platform" -> o -> Objects.requireNonNullElse(o.platform(), "unknown");
            default -> throw new BadRequestException("by must be total, country or platform; got " + by);
        };
        LocalDate thisWeek = LocalDate.now(data.clock().withZone(zone)).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        Map<String, Map<LocalDate, Double>> series = new HashMap<>();
        Map<String, Double> totals = new HashMap<>();
        LocalDate first = null;
        for (OrderRow o : data.orders()) {
            LocalDate week = LocalDate.ofInstant(o.placedAt(), zone).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            if (!week.isBefore(thisWeek)) continue;
            String k = key.apply(o);
            series.computeIfAbsent(k, x -> new HashMap<>()).merge(week, o.totalBase(), Double::sum);
            totals.merge(k, o.totalBase(), Double::sum);
            if (first == null || week.isBefore(first)) first = week;
        }
        List<Series> out = new ArrayList<>();
        LocalDate start = first;
        totals.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.add(forecastOne(e.getKey(), series.get(e.getKey()), start, thisWeek, weeks, holdoutWeeks)));
        out.sort(Comparator.comparing(s -> -totals.get(s.key())));
        return new Forecast(rates.baseCurrency(), by == null ? "total" : by, weeks, holdoutWeeks, out);
    }

    private Series forecastOne(String key, Map<LocalDate, Double> byWeek, LocalDate first, LocalDate end, int weeks,
                               int holdoutWeeks) {
        int n = (int) ChronoUnit.WEEKS.between(first, end);
        double[] y = new double[n];
        List<Week> history = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LocalDate w = first.plusWeeks(i);
            y[i] = byWeek.getOrDefault(w, 0.0);
            history.add(new Week(w, y[i]));
        }
        if (n < holdoutWeeks + 3) {
            return new Series(key, "none", 0, 0, 0, 0, null, history, List.of(),
                    "too little history: " + n + " complete weeks, need at least " + (holdoutWeeks + 3));
        }
        int train = n - holdoutWeeks;
        double[] trainY = java.util.Arrays.copyOf(y, train);
        double[] actual = java.util.Arrays.copyOfRange(y, train, n);
        List<Integer> candidates = new ArrayList<>();
        for (int s : props.forecastSeasons()) if (s >= 2 && train >= 2 * s) candidates.add(s);
        candidates.add(0);
        double bestMape = Double.POSITIVE_INFINITY;
        int bestSeason = 0;
        double[] bestPredicted = null;
        Map<Integer, String> failures = new LinkedHashMap<>();
        for (int s : candidates) {
            try {
                double[] predicted = clamp(HoltWinters.fit(trainY, s).forecast(holdoutWeeks));
                double mape = HoltWinters.mape(actual, predicted);
                if (bestPredicted == null || mape < bestMape) {
                    bestMape = mape;
                    bestSeason = s;
                    bestPredicted = predicted;
                }
            } catch (NonConvergenceException | IllegalArgumentException e) {
                failures.put(s, e.getMessage());
            }
        }
        if (bestPredicted == null) {
            return new Series(key, "none", 0, 0, 0, 0, null, history, List.of(), "no method could be fitted: " + failures);
        }
        HoltWinters model = HoltWinters.fit(y, bestSeason);
        double[] f = clamp(model.forecast(weeks));
        List<Week> forecast = new ArrayList<>();
        for (int k = 0; k < weeks; k++) forecast.add(new Week(end.plusWeeks(k), f[k]));
        List<Week> act = new ArrayList<>();
        List<Week> pred = new ArrayList<>();
        for (int k = 0; k < holdoutWeeks; k++) {
            act.add(new Week(first.plusWeeks(train + k), actual[k]));
            pred.add(new Week(first.plusWeeks(train + k), bestPredicted[k]));
        }
        String note = bestSeason == 0 && props.forecastSeasons().stream().noneMatch(s -> train >= 2 * s)
                ? "history too short for a seasonal model (needs two seasons); Holt's linear trend used" : null;
        return new Series(key, bestSeason == 0 ? "holt-linear" : "holt-winters-additive", bestSeason, model.alpha(),
                model.beta(), model.gamma(), new Backtest(holdoutWeeks, Double.isNaN(bestMape) ? null : bestMape, act, pred),
                history, forecast, note);
    }

    private static double[] clamp(double[] v) {
        for (int i = 0; i < v.length; i++) v[i] = Math.max(0, v[i]);
        return v;
    }
}
