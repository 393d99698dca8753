package dev.caravan.rules;

import java.time.Instant;
import java.util.Arrays;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * Population statistics handed to the rules: percentile tables of recency (day of the last order), frequency
 * (orders) and monetary value (net spend) over all customers with orders, and the value-score cut-offs that make
 * the tier shares. A customer's R, F and M percentile ranks are looked up in these tables, so an incremental
 * evaluation of one customer ranks them against the same population as the last full computation.
 */
@Document("rule_population")
public final class Population {

    public static final String CURRENT = "current";

    @MongoId(FieldType.STRING)
    private final String id;
    private final long customers;
    private final double[] recency;
    private final double[] frequency;
    private final double[] monetary;
    private final double coreMin;
    private final double growthMin;
    private final double coreShare;
    private final double growthShare;
    private final Instant computedAt;
    /** All customers scanned (with or without orders), to notice when imports changed the population a lot. */
    private final long scanned;

    @PersistenceCreator
    public Population(String id, long customers, double[] recency, double[] frequency, double[] monetary,
                      double coreMin, double growthMin, double coreShare, double growthShare, Instant computedAt,
                      long scanned) {
        this.id = id;
        this.customers = customers;
        this.recency = recency;
        this.frequency = frequency;
        this.monetary = monetary;
        this.coreMin = coreMin;
        this.growthMin = growthMin;
        this.coreShare = coreShare;
        this.growthShare = growthShare;
        this.computedAt = computedAt;
        this.scanned = scanned;
    }

    /** A population without customers: every rank is 0.5 and the cut-offs are the share complements. */
    public static Population empty(double coreShare, double growthShare, Instant at) {
        return new Population(CURRENT, 0, new double[0], new double[0], new double[0], 1 - coreShare,
                1 - coreShare - growthShare, coreShare, growthShare, at, 0);
    }

    /** Fixed cut-offs, for scenario tests that give the customer's value score directly. */
    public static Population ofCutoffs(double coreMin, double growthMin) {
        return new Population(CURRENT, 0, new double[0], new double[0], new double[0], coreMin, growthMin, 0, 0, null, 0);
    }

    public String getId() { return id; }
    public long getCustomers() { return customers; }
    public double getCoreMin() { return coreMin; }
    public double getGrowthMin() { return growthMin; }
    public double getCoreShare() { return coreShare; }
    public double getGrowthShare() { return growthShare; }
    public Instant getComputedAt() { return computedAt; }
    public long getScanned() { return scanned; }
    double[] recencyTable() { return recency; }
    double[] frequencyTable() { return frequency; }
    double[] monetaryTable() { return monetary; }

    public double recencyRank(double lastOrderEpochDay) { return rank(recency, lastOrderEpochDay); }
    public double frequencyRank(double orders) { return rank(frequency, orders); }
    public double monetaryRank(double spend) { return rank(monetary, spend); }

    /** Percentile tables with {@code points} entries (0th..100th percentile) of an unsorted sample. */
    static double[] table(double[] values, int points) {
        if (values.length == 0) return new double[0];
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] t = new double[points];
        for (int i = 0; i < points; i++) {
            double pos = (double) i / (points - 1) * (sorted.length - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(sorted.length - 1, lo + 1);
            t[i] = sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
        }
        return t;
    }

    /** The value at quantile q of an unsorted sample (q in 0..1). */
    static double quantile(double[] values, double q) {
        if (values.length == 0) return 1 - q;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = Math.max(0, Math.min(1, q)) * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /**
     * Percentile rank (0..1) of x in a percentile table: interpolated between neighbouring points, and the middle
     * of the tied range when many customers share the value (e.g. the many customers with one order).
     */
    static double rank(double[] t, double x) {
        int n = t.length;
        if (n == 0) return 0.5;
        if (n == 1) return x < t[0] ? 0 : x > t[0] ? 1 : 0.5;
        int less = lowerBound(t, x);        // points < x
        int lessOrEqual = upperBound(t, x); // points <= x
        double step = 1.0 / (n - 1);
        if (lessOrEqual > less) {
            double first = less, last = lessOrEqual - 1;
            return clamp((first + last) / 2 * step);
        }
        if (less == 0) return 0;
        if (less == n) return 1;
        double a = t[less - 1], b = t[less];
        return clamp((less - 1 + (x - a) / (b - a)) * step);
    }

    private static int lowerBound(double[] t, double x) {
        int lo = 0, hi = t.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (t[mid] < x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static int upperBound(double[] t, double x) {
        int lo = 0, hi = t.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (t[mid] <= x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
