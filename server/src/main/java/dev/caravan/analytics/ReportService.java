package dev.caravan.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import dev.caravan.analytics.ReportData.CustomerRow;
import dev.caravan.analytics.ReportData.OrderRow;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.money.ExchangeRateService;
import org.springframework.stereotype.Service;

/** The customer-value, repurchase, cohort, RFM and breakdown reports; amounts in the base currency. */
@Service
public class ReportService {

    private final ReportData data;
    private final AnalyticsProperties props;
    private final ExchangeRateService rates;
    private final ZoneId zone;

    public ReportService(ReportData data, AnalyticsProperties props, ExchangeRateService rates) {
        this.data = data;
        this.props = props;
        this.rates = rates;
        this.zone = ZoneId.of(props.zone());
    }

    public record Point(double customerShare, double revenueShare) {
    }

    public record Contribution(String currency, long customers, double revenue, double top20Share, List<Point> curve) {
    }

    /** Lorenz-style curve: share of revenue from the top x % of buyers, best first; 101 points. */
    public Contribution contribution() {
        double[] spend = data.customers().stream().filter(c -> c.orderCount() > 0).mapToDouble(CustomerRow::totalSpend)
                .sorted().toArray();
        int n = spend.length;
        double total = Arrays.stream(spend).sum();
        List<Point> curve = new ArrayList<>();
        double[] cumulative = new double[n + 1];
        for (int i = 0; i < n; i++) cumulative[i + 1] = cumulative[i] + spend[n - 1 - i];
        for (int k = 0; k <= 100; k++) {
            int top = (int) Math.round(n * k / 100.0);
            curve.add(new Point(k / 100.0, total == 0 ? 0 : cumulative[top] / total));
        }
        return new Contribution(rates.baseCurrency(), n, total, total == 0 ? 0 : curve.get(20).revenueShare(), curve);
    }

    public record Group(String key, long customers, double revenue, double revenueShare) {
    }

    public record Groups(String currency, String by, List<Group> groups) {
    }

    /** Customers and historic revenue per tier as the rules set them (no tier: "none"). */
    public Groups tiers() {
        return group("tier", CustomerRow::tier);
    }

    private Groups group(String by, Function<CustomerRow, String> key) {
        Map<String, double[]> acc = new TreeMap<>();
        double total = 0;
        for (CustomerRow c : data.customers()) {
            double[] a = acc.computeIfAbsent(Objects.requireNonNullElse(key.apply(c), "none"), k -> new double[2]);
            a[0]++;
            a[1] += c.totalSpend();
            total += c.totalSpend();
        }
        double t = total;
        List<Group> groups = acc.entrySet().stream().map(e -> new Group(e.getKey(), (long) e.getValue()[0],
                e.getValue()[1], t == 0 ? 0 : e.getValue()[1] / t)).toList();
        return new Groups(rates.baseCurrency(), by, groups);
    }

    public record Bucket(double from, double to, long count) {
    }

    public record Distribution(String measure, long customers, double mean, Map<String, Double> quantiles,
                               List<Bucket> histogram) {
    }

    /** Predicted CLV of the scored customers. */
    public Distribution clvDistribution(int buckets) {
        return distribution("clv", data.customers().stream().map(CustomerRow::clv).filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).toArray(), buckets, false);
    }

    /** P(alive) of the scored customers, in equal buckets over [0, 1]. */
    public Distribution pAliveDistribution(int buckets) {
        return distribution("pAlive", data.customers().stream().map(CustomerRow::pAlive).filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).toArray(), buckets, true);
    }

    private static Distribution distribution(String measure, double[] values, int buckets, boolean unit) {
        if (buckets < 1 || buckets > 200) throw new BadRequestException("buckets must be between 1 and 200");
        Arrays.sort(values);
        int n = values.length;
        Map<String, Double> q = new LinkedHashMap<>();
        List<Bucket> hist = new ArrayList<>();
        if (n == 0) return new Distribution(measure, 0, 0, q, hist);
        for (int p : new int[]{10, 25, 50, 75, 90, 99}) q.put("p" + p, values[Math.min(n - 1, (int) Math.floor(p / 100.0 * n))]);
        double lo = unit ? 0 : values[0];
        double hi = unit ? 1 : values[Math.min(n - 1, (int) Math.floor(0.99 * n))]; // the top 1 % go to the last bucket
        if (hi <= lo) hi = lo + 1;
        double width = (hi - lo) / buckets;
        long[] counts = new long[buckets];
        for (double v : values) counts[Math.max(0, Math.min(buckets - 1, (int) ((v - lo) / width)))]++;
        for (int b = 0; b < buckets; b++) hist.add(new Bucket(lo + b * width, b == buckets - 1 && !unit ? values[n - 1] : lo + (b + 1) * width, counts[b]));
        return new Distribution(measure, n, Arrays.stream(values).average().orElse(0), q, hist);
    }

    public record AtRisk(String customerId, String name, String tier, double totalSpend, long orderCount,
                         double pAlive, Double clv, Instant lastOrderAt) {
    }

    /** High-value customers (historic spend in the top share) who are probably leaving (low P(alive)). */
    public List<AtRisk> atRisk(int limit, Double maxPAlive) {
        if (limit < 1 || limit > 1000) throw new BadRequestException("limit must be between 1 and 1000");
        double threshold = maxPAlive == null ? props.atRiskPAlive() : maxPAlive;
        if (!(threshold >= 0 && threshold <= 1)) throw new BadRequestException("maxPAlive must be between 0 and 1");
        List<CustomerRow> buyers = data.customers().stream().filter(c -> c.orderCount() > 0).toList();
        double[] spend = buyers.stream().mapToDouble(CustomerRow::totalSpend).sorted().toArray();
        if (spend.length == 0) return List.of();
        double cut = spend[Math.min(spend.length - 1, (int) Math.floor(props.atRiskSpendQuantile() * spend.length))];
        return buyers.stream().filter(c -> c.pAlive() != null && c.pAlive() < threshold && c.totalSpend() >= cut)
                .sorted(Comparator.comparingDouble(CustomerRow::totalSpend).reversed()).limit(limit)
                .map(c -> new AtRisk(c.id(), c.name(), c.tier(), c.totalSpend(), c.orderCount(), c.pAlive(), c.clv(),
                        c.lastOrderAt())).toList();
    }

    public record Repurchase(long buyers, long repeatBuyers, double repurchaseRate, Map<String, Double> within) {
    }

    /** Share of buyers with a second order, overall and within 30/60/90/180/365 days of the first. */
    public Repurchase repurchase() {
        Map<String, List<Instant>> byCustomer = ordersByCustomer();
        long buyers = byCustomer.size();
        long repeat = 0;
        int[] windows = {30, 60, 90, 180, 365};
        long[] within = new long[windows.length];
        for (List<Instant> times : byCustomer.values()) {
            List<LocalDate> days = distinctDays(times);
            if (days.size() < 2) continue;
            repeat++;
            long gap = ChronoUnit.DAYS.between(days.get(0), days.get(1));
            for (int w = 0; w < windows.length; w++) if (gap <= windows[w]) within[w]++;
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        for (int w = 0; w < windows.length; w++) shares.put(windows[w] + "d", buyers == 0 ? 0 : (double) within[w] / buyers);
        return new Repurchase(buyers, repeat, buyers == 0 ? 0 : (double) repeat / buyers, shares);
    }

    public record Gaps(long gaps, double meanDays, double medianDays, List<Group> histogram) {
    }

    /** Days between consecutive purchase days of the same customer. */
    public Gaps timeBetweenOrders() {
        List<Long> gaps = new ArrayList<>();
        for (List<Instant> times : ordersByCustomer().values()) {
            List<LocalDate> days = distinctDays(times);
            for (int i = 1; i < days.size(); i++) gaps.add(ChronoUnit.DAYS.between(days.get(i - 1), days.get(i)));
        }
        long[] edges = {7, 14, 30, 60, 90, 180, 365};
        String[] labels = {"1-7", "8-14", "15-30", "31-60", "61-90", "91-180", "181-365", ">365"};
        long[] counts = new long[labels.length];
        for (long g : gaps) {
            int b = 0;
            while (b < edges.length && g > edges[b]) b++;
            counts[b]++;
        }
        List<Group> hist = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            hist.add(new Group(labels[i], counts[i], 0, gaps.isEmpty() ? 0 : (double) counts[i] / gaps.size()));
        }
        long[] sorted = gaps.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Gaps(sorted.length, Arrays.stream(sorted).average().orElse(0),
                sorted.length == 0 ? 0 : sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0, hist);
    }

    public record Cohort(String month, long customers, List<Double> retention) {
    }

    public record Cohorts(int months, List<Cohort> cohorts) {
    }

    /**
     * Retention by first-order month: for each cohort, the share of its customers who bought in month 0, 1, 2...
     * after their first month (month 0 is 1.0 by definition), up to {@code months} or today.
     */
    public Cohorts cohorts(int months) {
        if (months < 1 || months > 60) throw new BadRequestException("months must be between 1 and 60");
        YearMonth now = YearMonth.from(LocalDate.now(data.clock().withZone(zone)));
        Map<YearMonth, List<Set<Integer>>> cohorts = new TreeMap<>();
        for (List<Instant> times : ordersByCustomer().values()) {
            YearMonth first = null;
            Set<Integer> active = new HashSet<>();
            for (Instant t : times) {
                YearMonth m = YearMonth.from(t.atZone(zone));
                if (first == null || m.isBefore(first)) first = m;
            }
            for (Instant t : times) active.add((int) ChronoUnit.MONTHS.between(first, YearMonth.from(t.atZone(zone))));
            cohorts.computeIfAbsent(first, k -> new ArrayList<>()).add(active);
        }
        List<Cohort> out = new ArrayList<>();
        cohorts.forEach((month, members) -> {
            int span = (int) Math.min(months, ChronoUnit.MONTHS.between(month, now) + 1);
            List<Double> retention = new ArrayList<>();
            for (int k = 0; k < Math.max(1, span); k++) {
                int kk = k;
                retention.add(members.stream().filter(s -> s.contains(kk)).count() / (double) members.size());
            }
            out.add(new Cohort(month.toString(), members.size(), retention));
        });
        return new Cohorts(months, out);
    }

    public record RfmCell(int recency, int frequency, long customers, double revenue) {
    }

    public record RfmGrid(String currency, List<Double> recencyDayEdges, List<Double> frequencyEdges, List<RfmCell> cells) {
    }

    /**
     * R x F grid (5 x 5): recency score 5 = bought most recently, frequency score 5 = most orders, by quintiles of
     * the buyers; counts and historic revenue per cell.
     */
    public RfmGrid rfm() {
        Instant now = data.clock().instant();
        List<CustomerRow> buyers = data.customers().stream().filter(c -> c.orderCount() > 0 && c.lastOrderAt() != null).toList();
        double[] recency = buyers.stream().mapToDouble(c -> ChronoUnit.DAYS.between(c.lastOrderAt(), now)).sorted().toArray();
        double[] frequency = buyers.stream().mapToDouble(CustomerRow::orderCount).sorted().toArray();
        double[] rEdges = quintileEdges(recency);
        double[] fEdges = quintileEdges(frequency);
        long[][] count = new long[5][5];
        double[][] revenue = new double[5][5];
        for (CustomerRow c : buyers) {
            int r = 4 - score(rEdges, ChronoUnit.DAYS.between(c.lastOrderAt(), now));  // fewer days = higher score
            int f = score(fEdges, c.orderCount());
            count[r][f]++;
            revenue[r][f] += c.totalSpend();
        }
        List<RfmCell> cells = new ArrayList<>();
        for (int r = 0; r < 5; r++) for (int f = 0; f < 5; f++) cells.add(new RfmCell(r + 1, f + 1, count[r][f], revenue[r][f]));
        return new RfmGrid(rates.baseCurrency(), Arrays.stream(rEdges).boxed().toList(), Arrays.stream(fEdges).boxed().toList(), cells);
    }

    private static double[] quintileEdges(double[] sorted) {
        double[] e = new double[4];
        for (int i = 0; i < 4; i++) e[i] = sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.floor((i + 1) * sorted.length / 5.0))];
        return e;
    }

    /** 0..4: how many edges the value exceeds (ties stay in the lower group). */
    private static int score(double[] edges, double v) {
        int s = 0;
        while (s < 4 && v > edges[s]) s++;
        return s;
    }

    public record Breakdown(String key, long orders, long customers, long guestOrders, double revenue,
                            double revenueShare, Map<String, Double> revenueInCurrency) {
    }

    public record Breakdowns(String currency, String by, List<Breakdown> groups) {
    }

    /** Orders, buyers and revenue per country, currency or platform (guest orders included). */
    public Breakdowns breakdown(String by) {
        Function<OrderRow, String> key = switch (by) {
            case "country" -> OrderRow::country;
            case "currency" -> OrderRow::currency;
            case "platform" -> OrderRow::platform;
            default -> throw new BadRequestException("breakdown by must be country, currency or platform; got " + by);
        };
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Set<String>> buyers = new HashMap<>();
        Map<String, double[]> revenue = new HashMap<>();
        Map<String, Map<String, Double>> original = new HashMap<>();
        double total = 0;
        for (OrderRow o : data.orders()) {
            String k = Objects.requireNonNullElse(key.apply(o), "unknown");
            long[] c = counts.computeIfAbsent(k, x -> new long[2]);
            c[0]++;
            if (o.customerId() == null) c[1]++;
            else buyers.computeIfAbsent(k, x -> new HashSet<>()).add(o.customerId());
            revenue.computeIfAbsent(k, x -> new double[1])[0] += o.totalBase();
            if (o.currency() != null) original.computeIfAbsent(k, x -> new TreeMap<>()).merge(o.currency(), o.total(), Double::sum);
            total += o.totalBase();
        }
        double t = total;
        List<Breakdown> groups = counts.entrySet().stream().map(e -> {
            double r = revenue.get(e.getKey())[0];
            return new Breakdown(e.getKey(), e.getValue()[0], buyers.getOrDefault(e.getKey(), Set.of()).size(),
                    e.getValue()[1], r, t == 0 ? 0 : r / t, original.getOrDefault(e.getKey(), Map.of()));
        }).sorted(Comparator.comparingDouble(Breakdown::revenue).reversed()).toList();
        return new Breakdowns(rates.baseCurrency(), by, groups);
    }

    public record Due(String customerId, String name, Instant nextOrderAt, Double pAlive, Double expectedPurchases,
                      Instant lastOrderAt) {
    }

    /** Customers whose estimated next order falls in [from, to) (repurchase reminders), soonest first. */
    public List<Due> due(Instant from, Instant to, int limit) {
        if (limit < 1 || limit > 5000) throw new BadRequestException("limit must be between 1 and 5000");
        if (!from.isBefore(to)) throw new BadRequestException("from must lie before to");
        return data.customers().stream().filter(c -> c.nextOrderAt() != null && !c.nextOrderAt().isBefore(from)
                        && c.nextOrderAt().isBefore(to))
                .sorted(Comparator.comparing(CustomerRow::nextOrderAt)).limit(limit)
                .map(c -> new Due(c.id(), c.name(), c.nextOrderAt(), c.pAlive(), c.expectedPurchases(), c.lastOrderAt()))
                .toList();
    }

    private Map<String, List<Instant>> ordersByCustomer() {
        Map<String, List<Instant>> out = new HashMap<>();
        for (OrderRow o : data.orders()) {
            if (o.customerId() != null) out.computeIfAbsent(o.customerId(), k -> new ArrayList<>()).add(o.placedAt());
        }
        return out;
    }

    private List<LocalDate> distinctDays(List<Instant> times) {
        return times.stream().map(t -> LocalDate.ofInstant(t, zone)).distinct().sorted().toList();
    }
}
