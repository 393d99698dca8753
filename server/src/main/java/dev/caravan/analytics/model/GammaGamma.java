package dev.caravan.analytics.model;

import java.util.Arrays;
import java.util.List;

import org.hipparchus.special.Gamma;

/**
 * The Gamma-Gamma model of spend per transaction (Fader, Hardie and Lee 2005, "RFM and CLV: using iso-value
 * curves for customer base analysis", JMR 42(4); notation of Fader and Hardie's note "The Gamma-Gamma model of
 * monetary value"): a customer's transaction values are Gamma(p, nu) with nu ~ Gamma(q, v) across customers.
 * Fitted on repeat buyers (x &ge; 1) and the mean value m of their x repeat transactions.
 *
 * @param p shape of the transaction-value distribution
 * @param q shape of the distribution of nu
 * @param v scale (rate) of the distribution of nu, in currency units
 */
public record GammaGamma(double p, double q, double v) {

    static final String[] NAMES = {"p", "q", "v"};
    /** From this many repeat buyers the fit starts from the fit of a sample. */
    static final int LARGE = 100_000;

    public GammaGamma {
        if (!(p > 0 && q > 0 && v > 0) || !Double.isFinite(p + q + v)) {
            throw new IllegalArgumentException("Gamma-Gamma parameters must be finite and positive: p=" + p + " q=" + q
                    + " v=" + v);
        }
    }

    public record Fit(GammaGamma model, double logLikelihood, int customers, int evaluations, double[] standardErrors,
                      boolean converged, List<String> warnings) {
    }

    /** Repeat buyers' x and mean repeat-transaction value m, prepared for likelihood evaluation. */
    public static final class Data {
        final int[] xValues;     // distinct x, ascending
        final int[] rowX;        // index into xValues
        final double[] x;
        final double[] lnM;
        final double[] m;
        final double[] lnX;
        final double meanM;

        private Data(int[] xValues, int[] rowX, double[] x, double[] lnM, double[] m, double[] lnX, double meanM) {
            this.xValues = xValues;
            this.rowX = rowX;
            this.x = x;
            this.lnM = lnM;
            this.m = m;
            this.lnX = lnX;
            this.meanM = meanM;
        }

        /** Keeps customers with x &ge; 1 and a positive finite mean value; others carry no spend information. */
        public static Data of(int[] x, double[] meanValue) {
            if (x.length != meanValue.length) throw new IllegalArgumentException("x and m differ in length");
            int n = 0;
            for (int i = 0; i < x.length; i++) if (usable(x[i], meanValue[i])) n++;
            if (n == 0) throw new IllegalArgumentException("no repeat buyers with a positive spend to fit");
            double[] xs = new double[n];
            double[] ms = new double[n];
            int k = 0;
            for (int i = 0; i < x.length; i++) {
                if (usable(x[i], meanValue[i])) {
                    xs[k] = x[i];
                    ms[k++] = meanValue[i];
                }
            }
            int[] distinct = Arrays.stream(x).filter(v -> v >= 1).distinct().sorted().toArray();
            int[] rowX = new int[n];
            double[] lnM = new double[n];
            double[] lnX = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                rowX[i] = Arrays.binarySearch(distinct, (int) xs[i]);
                lnM[i] = Math.log(ms[i]);
                lnX[i] = Math.log(xs[i]);
                sum += ms[i];
            }
            return new Data(distinct, rowX, xs, lnM, ms, lnX, sum / n);
        }

        public int customers() {
            return x.length;
        }

        /** Every {@code step}-th customer. */
        Data thinned(int step) {
            int n = (x.length + step - 1) / step;
            int[] rx = new int[n];
            double[] xs = new double[n];
            double[] lm = new double[n];
            double[] ms = new double[n];
            double[] lx = new double[n];
            for (int i = 0, k = 0; i < x.length; i += step, k++) {
                rx[k] = rowX[i];
                xs[k] = x[i];
                lm[k] = lnM[i];
                ms[k] = m[i];
                lx[k] = lnX[i];
            }
            return new Data(xValues, rx, xs, lm, ms, lx, meanM);
        }

        static boolean usable(int x, double m) {
            return x >= 1 && m > 0 && Double.isFinite(m);
        }
    }

    public static Fit fit(Data data) {
        double[] start = {1.0, 1.0, data.meanM};
        double[] scales = {1.0, 1.0, data.meanM};
        double radius = 0.5;
        if (data.customers() >= LARGE) {
            // big data: start from the fit of every k-th customer (see BgNbd.fit)
            Data sample = data.thinned(data.customers() / (LARGE / 4));
            try {
                start = Mle.maximise(q -> logLikelihood(sample, q[0], q[1], q[2]), start, scales, NAMES, 3000).estimate();
                radius = 0.05;
            } catch (NonConvergenceException e) {
                // start from scratch on the full data
            }
        }
        Mle.Result res = Mle.maximise(q -> logLikelihood(data, q[0], q[1], q[2]), start, scales, NAMES, 3000, radius);
        double[] e = res.estimate();
        GammaGamma model = new GammaGamma(e[0], e[1], e[2]);
        List<String> warnings = res.warnings();
        if (model.q() <= 1) {
            warnings = new java.util.ArrayList<>(warnings);
            warnings.add("q <= 1: the expected spend of the population is infinite; spend predictions are unavailable");
            warnings = List.copyOf(warnings);
        }
        return new Fit(model, res.logLikelihood(), data.customers(), res.evaluations(), res.standardErrors(),
                res.converged(), warnings);
    }

    /**
     * ln f(m | p, q, v; x) = lnG(px+q) - lnG(px) - lnG(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(v + x m),
     * summed over the repeat buyers.
     */
    public static double logLikelihood(Data d, double p, double q, double v) {
        double[] cx = new double[d.xValues.length];
        double base = -Gamma.logGamma(q) + q * Math.log(v);
        for (int i = 0; i < cx.length; i++) {
            double px = p * d.xValues[i];
            cx[i] = Gamma.logGamma(px + q) - Gamma.logGamma(px) + base;
        }
        double total = 0;
        for (int i = 0; i < d.x.length; i++) {
            double px = p * d.x[i];
            total += cx[d.rowX[i]] + px * (d.lnM[i] + d.lnX[i]) - d.lnM[i] - (px + q) * Math.log(v + d.x[i] * d.m[i]);
        }
        return total;
    }

    /** Expected mean transaction value of a customer with x repeat purchases of mean value m (x = 0: population). */
    public double expectedAverageValue(int x, double m) {
        if (q <= 1) return Double.NaN;
        if (x <= 0 || !(m > 0)) return populationMean();
        return p * (v + x * m) / (p * x + q - 1);
    }

    /** Mean transaction value across the population, p v / (q - 1); NaN when q &le; 1. */
    public double populationMean() {
        return q > 1 ? p * v / (q - 1) : Double.NaN;
    }
}
