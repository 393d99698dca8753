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

    public double horizonDays() {
        return horizonDays;
    }
}
