package dev.caravan.analytics.model;

/**
 * Scores customers with a fitted BG/NBD and Gamma-Gamma pair: P(alive), expected purchases over the horizon,
 * expected order value and customer lifetime value. CLV is the expected spend of the purchases in each step of the
 * horizon, discounted at the annual rate from the end of its step (a slight underestimate), times the margin:
 * CLV = margin &middot; E[value] &middot; &Sigma;_k (E[X(t_k)] - E[X(t_{k-1})]) / (1 + rate)^(t_k / 365 days).
 * Times are in days. Customers with no repeat purchase get the population's expected order value.
 */
public final class ClvScorer {

    private final BgNbd purchases;
    private final GammaGamma spend;
    private final double[] times;
    private final double[] discount;
    private final double margin;
    private final double horizonDays;

    /** Mutable result, reused across customers to score millions without garbage. */
    public static final class Score {
        public double pAlive;
        public double expectedPurchases;
        public double expectedOrderValue;
        public double clv;
    }

    /**
     * @param horizonDays  CLV and expected-purchase horizon
     * @param stepDays     discounting step (30 = monthly)
     * @param annualRate   discount rate per year, e.g. 0.10
     * @param margin       share of revenue that is profit (1 = revenue CLV)
     * @param spend        may be null (no spend model): order values and CLV are then NaN
     */
    public ClvScorer(BgNbd purchases, GammaGamma spend, double horizonDays, double stepDays, double annualRate,
                     double margin) {
        if (!(horizonDays > 0) || !(stepDays > 0) || !(annualRate > -1) || !(margin >= 0)) {
            throw new IllegalArgumentException("horizon and step must be positive, rate above -1, margin >= 0");
        }
        this.purchases = purchases;
        this.spend = spend;
        this.margin = margin;
        this.horizonDays = horizonDays;
        int steps = (int) Math.ceil(horizonDays / stepDays - 1e-9);
        times = new double[steps];
        discount = new double[steps];
        for (int k = 0; k < steps; k++) {
            times[k] = Math.min(horizonDays, (k + 1) * stepDays);
            discount[k] = Math.pow(1 + annualRate, -times[k] / 365.0);
        }
    }

    public Score score(int x, double tx, double t, double monetary, Score out) {
        out.pAlive = purchases.pAlive(x, tx, t);
        double[] path = purchases.expectedPurchasesPath(times, x, tx, t);
        out.expectedPurchases = path[path.length - 1];
        out.expectedOrderValue = spend == null ? Double.NaN : spend.expectedAverageValue(x, monetary);
        double discounted = 0;
        double previous = 0;
        for (int k = 0; k < path.length; k++) {
            discounted += (path[k] - previous) * discount[k];
            previous = path[k];
        }
        out.clv = margin * out.expectedOrderValue * discounted;
        return out;
    }

    /** Scores of many customers, index by index; NaN where a customer could not be scored (see {@link #failures}). */
    public static final class Scores {
        public final double[] pAlive;
        public final double[] expectedPurchases;
        public final double[] expectedOrderValue;
        public final double[] clv;
        /** Customers whose hypergeometric series did not converge; their entries are NaN. */
        public int failures;
        public String firstFailure;

        Scores(int n) {
            pAlive = new double[n];
            expectedPurchases = new double[n];
            expectedOrderValue = new double[n];
            clv = new double[n];
        }
    }

    /**
     * Scores every customer. The purchase-model part depends on (x, t_x, T) only, so customers sharing their triple
     * (common on day-granular data) are computed once; distinct triples are spread over the available cores.
     */
    public Scores scoreAll(int[] x, double[] tx, double[] t, double[] monetary, int n) {
        Scores out = new Scores(n);
        long[] keys = new long[n];
        boolean packable = true;
        for (int i = 0; i < n && packable; i++) {
            packable = x[i] < (1 << 20) && tx[i] == Math.rint(tx[i]) && t[i] == Math.rint(t[i])
                    && tx[i] >= 0 && t[i] >= 0 && tx[i] < (1 << 21) && t[i] < (1 << 21);
            if (packable) keys[i] = ((long) x[i] << 42) | ((long) tx[i] << 21) | (long) t[i];
        }
        int[] rep;      // representative customer of each distinct triple
        int[] group;    // distinct triple of each customer
        if (packable) {
            long[] sorted = keys.clone();
            java.util.Arrays.sort(sorted);
            int distinct = 0;
            for (int i = 0; i < n; i++) if (i == 0 || sorted[i] != sorted[i - 1]) sorted[distinct++] = sorted[i];
            long[] uniq = java.util.Arrays.copyOf(sorted, distinct);
            rep = new int[distinct];
            java.util.Arrays.fill(rep, -1);
            group = new int[n];
            for (int i = 0; i < n; i++) {
                int g = java.util.Arrays.binarySearch(uniq, keys[i]);
                group[i] = g;
                if (rep[g] < 0) rep[g] = i;
            }
        } else {
            rep = new int[n];
            group = new int[n];
            for (int i = 0; i < n; i++) rep[i] = group[i] = i;
        }
        double[] alive = new double[rep.length];
        double[] expected = new double[rep.length];
        double[] discounted = new double[rep.length];
        String[] failure = new String[1];
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.stream.IntStream.range(0, rep.length).parallel().forEach(g -> {
            int i = rep[g];
            try {
                alive[g] = purchases.pAlive(x[i], tx[i], t[i]);
                double[] path = purchases.expectedPurchasesPath(times, x[i], tx[i], t[i]);
                expected[g] = path[path.length - 1];
                double sum = 0;
                double previous = 0;
                for (int k = 0; k < path.length; k++) {
                    sum += (path[k] - previous) * discount[k];
                    previous = path[k];
                }
                discounted[g] = sum;
            } catch (NonConvergenceException e) {
                alive[g] = expected[g] = discounted[g] = Double.NaN;
                failed.incrementAndGet();
                failure[0] = e.getMessage();
            }
        });
        for (int i = 0; i < n; i++) {
            int g = group[i];
            out.pAlive[i] = alive[g];
            out.expectedPurchases[i] = expected[g];
            out.expectedOrderValue[i] = spend == null ? Double.NaN : spend.expectedAverageValue(x[i], monetary[i]);
            out.clv[i] = margin * out.expectedOrderValue[i] * discounted[g];
        }
        out.failures = failed.get() == 0 ? 0 : (int) java.util.stream.IntStream.range(0, n)
                .filter(i -> Double.isNaN(out.pAlive[i])).count();
        out.firstFailure = failure[0];
        return out;
    }

    public double horizonDays() {
        return horizonDays;
    }
}
