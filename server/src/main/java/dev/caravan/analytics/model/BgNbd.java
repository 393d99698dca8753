package dev.caravan.analytics.model;

import java.util.List;
import java.util.stream.IntStream;

import org.hipparchus.special.Beta;
import org.hipparchus.special.Gamma;

/**
 * The BG/NBD model of Fader, Hardie and Lee (2005), "Counting your customers the easy way: an alternative to the
 * Pareto/NBD model", Marketing Science 24(2). While active, a customer buys as a Poisson process with rate
 * lambda ~ Gamma(r, alpha); after every repeat purchase she drops out with probability p ~ Beta(a, b).
 * Times are in whatever unit the data were given in (alpha carries the unit).
 *
 * @param r     shape of the purchase-rate distribution
 * @param alpha scale (rate) of the purchase-rate distribution, in time units
 * @param a     first shape of the dropout-probability distribution
 * @param b     second shape of the dropout-probability distribution
 */
public record BgNbd(double r, double alpha, double a, double b) {

    static final String[] NAMES = {"r", "alpha", "a", "b"};
    private static final int PARALLEL_ROWS = 4_096;
    private static final int CUMULATIVE_X = 20_000;
    /** From this many rows the fit starts from the fit of a thinned copy. */
    static final int LARGE_ROWS = 100_000;
    /** Below this mean dropout probability the fit is read as "no dropout" (see {@link #fit}). */
    static final double NO_DROPOUT = 1e-3;

    public BgNbd {
        if (!(r > 0 && alpha > 0 && a > 0 && b > 0) || !Double.isFinite(r + alpha + a + b)) {
            throw new IllegalArgumentException("BG/NBD parameters must be finite and positive: r=" + r + " alpha="
                    + alpha + " a=" + a + " b=" + b);
        }
    }

    /** The outcome of a fit: parameters, maximised log-likelihood and how much to trust them. */
    public record Fit(BgNbd model, double logLikelihood, int customers, int evaluations, double[] standardErrors,
                      boolean converged, List<String> warnings) {
    }

    /** Maximum likelihood estimate (paper, equation 6) over all customers of {@code data}. */
    public static Fit fit(BgNbdData data) {
        double scale = Math.max(data.meanT, 1e-6);
        double[] start = {1.0, scale, 1.0, 1.0};
        double[] scales = {1.0, scale, 1.0, 1.0};
        double radius = 0.5;
        if (data.rows() >= LARGE_ROWS) {
            // big data: find the neighbourhood of the optimum on a thinned copy first, so the full data need
            // only the last, short part of the search
            BgNbdData sample = data.thinned(data.rows() / (LARGE_ROWS / 4));
            try {
                start = Mle.maximise(p -> logLikelihood(sample, p[0], p[1], p[2], p[3]), start, scales, NAMES, 4000)
                        .estimate();
                radius = 0.05;
            } catch (NonConvergenceException e) {
                // start from scratch on the full data
            }
        }
        double[] from = start;
        Mle.Result res = Mle.maximise(p -> logLikelihood(data, p[0], p[1], p[2], p[3]), from, scales, NAMES, 4000,
                radius);
        double[] e = res.estimate();
        double meanDropout = e[2] / (e[2] + e[3]);
        if (!res.converged() && meanDropout < NO_DROPOUT) {
            // Nobody seems to drop out: the likelihood rises along a ridge a -> 0, b -> infinity on which the
            // predictions no longer change (the model tends to the NBD). Accept when r and alpha are at a maximum.
            double[] se = Mle.checkSubset(res, new int[]{0, 1});
            if (se != null) {
                return new Fit(new BgNbd(e[0], e[1], e[2], e[3]), res.logLikelihood(), data.customers,
                        res.evaluations(), se, true, List.of(String.format(java.util.Locale.ROOT,
                        "almost no customer drops out (mean dropout probability per purchase a/(a+b) = %.2g): a and "
                                + "b are not identified separately and have no standard errors; P(alive) stays near 1 "
                                + "and the predictions follow the NBD model", meanDropout)));
            }
        }
        return new Fit(new BgNbd(e[0], e[1], e[2], e[3]), res.logLikelihood(), data.customers, res.evaluations(),
                res.standardErrors(), res.converged(), res.warnings());
    }

    /** Sum of the customers' log-likelihoods; NaN-free for positive parameters. */
    public static double logLikelihood(BgNbdData d, double r, double alpha, double a, double b) {
        int nx = d.xValues.length;
        double lnAlpha = Math.log(alpha);
        double lnA = Math.log(a);
        double[] c1 = new double[nx];   // ln A1 + ln A2, per distinct x
        double[] c4 = new double[nx];   // ln a - ln(b + x - 1), per distinct x > 0
        double sumR = 0;                // sum_{k<x} ln(r + k)            = lnG(r+x) - lnG(r)
        double sumB = 0;                // sum_{k<x} ln(b+k) - ln(a+b+k)  = lnG(b+x) - lnG(b) - lnG(a+b+x) + lnG(a+b)
        int k = 0;
        for (int i = 0; i < nx; i++) {
            int x = d.xValues[i];
            double gr;
            double gb;
            if (x <= CUMULATIVE_X) {
                for (; k < x; k++) {
                    sumR += Math.log(r + k);
                    sumB += Math.log((b + k) / (a + b + k));
                }
                gr = sumR;
                gb = sumB;
            } else {
                gr = Gamma.logGamma(r + x) - Gamma.logGamma(r);
                gb = Gamma.logGamma(b + x) - Gamma.logGamma(b) - Gamma.logGamma(a + b + x) + Gamma.logGamma(a + b);
            }
            c1[i] = gr + r * lnAlpha + gb;
            c4[i] = x > 0 ? lnA - Math.log(b + x - 1) : 0;
        }
        double[] lnT = new double[d.tValues.length];
        for (int i = 0; i < lnT.length; i++) lnT[i] = Math.log(alpha + d.tValues[i]);
        double[] lnTx = new double[d.txValues.length];
        for (int i = 0; i < lnTx.length; i++) lnTx[i] = Math.log(alpha + d.txValues[i]);

        int rows = d.rows();
        if (rows < PARALLEL_ROWS) {
            return rowSum(d, 0, rows, r, c1, c4, lnT, lnTx);
        }
        int chunks = 16;
        double[] parts = new double[chunks];
        IntStream.range(0, chunks).parallel().forEach(c ->
                parts[c] = rowSum(d, (int) ((long) rows * c / chunks), (int) ((long) rows * (c + 1) / chunks), r, c1, c4, lnT, lnTx));
        double total = 0;
        for (double p : parts) total += p;
        return total;
    }

    private static double rowSum(BgNbdData d, int from, int to, double r, double[] c1, double[] c4, double[] lnT,
                                 double[] lnTx) {
        double total = 0;
        int[] rowX = d.rowX;
        int[] xValues = d.xValues;
        for (int i = from; i < to; i++) {
            int xi = rowX[i];
            int x = xValues[xi];
            double rx = r + x;
            double a3 = -rx * lnT[d.rowT[i]];
            double ll;
            if (x == 0) {
                ll = c1[xi] + a3;
            } else {
                double a4 = c4[xi] - rx * lnTx[d.rowTx[i]];
                // ln(e^a3 + e^a4); Math.log (an intrinsic) of a value in [1, 2] is exact enough and much faster than log1p
                ll = c1[xi] + (a3 > a4 ? a3 + Math.log(1 + Math.exp(a4 - a3)) : a4 + Math.log(1 + Math.exp(a3 - a4)));
            }
            total += d.rowWeight[i] * ll;
        }
        return total;
    }

    /** Probability that a customer with this history is still active at the end of observation (paper eq. 13). */
    public double pAlive(int x, double tx, double t) {
        if (x == 0) return 1.0;
        double d = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + t) - Math.log(alpha + tx));
        return 1.0 / (1.0 + Math.exp(d));
    }

    /**
     * Expected purchases in the next {@code horizon} time units of a customer with history (x, t_x, T) (paper eq. 10).
     * The hypergeometric factor is evaluated in log space; a series that does not converge throws
     * {@link NonConvergenceException}.
     */
    public double expectedPurchases(double horizon, int x, double tx, double t) {
        if (horizon <= 0) return 0.0;
        double aa = shape(x);
        return Math.max(0.0, (aa + b + x - 1) / (aa - 1) * rest(horizon, x, t, aa) * pAlive(x, tx, t));
    }

    /**
     * 1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t)), formed in log space as
     * -expm1(ln ...) so that values near 0 (short horizons) keep their precision.
     */
    private double rest(double horizon, int x, double t, double aa) {
        double z = horizon / (alpha + t + horizon);
        double lnOneMinusZ = Math.log(alpha + t) - Math.log(alpha + t + horizon);
        double c = aa + b + x - 1;
        if (c > 0) {
            return -Math.expm1((r + x) * lnOneMinusZ + Hypergeometric.log2F1(r + x, b + x, c, z));
        }
        return 1 - Math.exp((r + x) * lnOneMinusZ) * Hypergeometric.value2F1(r + x, b + x, c, z);
    }

    /**
     * The value of a used in the expectations: they have a removable singularity at a = 1, and for x = 0 another
     * at a + b = 1; step off them by a negligible amount.
     */
    private double shape(int x) {
        double aa = a;
        if (Math.abs(aa - 1) < 1e-7) aa = aa >= 1 ? 1 + 1e-7 : 1 - 1e-7;
        if (Math.abs(aa + b + x - 1) < 1e-9) aa += 2e-9;
        return aa;
    }

    /** Expected repeat purchases of a new customer in her first {@code t} time units (paper eq. 9). */
    public double expectedPurchasesNew(double t) {
        if (t <= 0) return 0.0;
        double aa = shape(0);
        double z = t / (alpha + t);
        double lnShare = r * (Math.log(alpha) - Math.log(alpha + t));
        double c = aa + b - 1;
        double rest = c > 0 ? -Math.expm1(lnShare + Hypergeometric.log2F1(r, b, c, z))
                : 1 - Math.exp(lnShare) * Hypergeometric.value2F1(r, b, c, z);
        return Math.max(0.0, (aa + b - 1) / (aa - 1) * rest);
    }

    /** P(X(t) = n): probability that a new customer makes n repeat purchases in her first t time units (eq. 8). */
    public double probabilityOfPurchases(int n, double t) {
        if (n < 0) return 0.0;
        double lnBab = Beta.logBeta(a, b);
        double lnAlphaShare = Math.log(alpha) - Math.log(alpha + t);
        double lnTShare = Math.log(t) - Math.log(alpha + t);
        double first = Beta.logBeta(a, b + n) - lnBab + Gamma.logGamma(r + n) - Gamma.logGamma(r)
                - Gamma.logGamma(n + 1.0) + r * lnAlphaShare + (n == 0 ? 0 : n * lnTShare);
        double p = Math.exp(first);
        if (n > 0) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(Gamma.logGamma(r + j) - Gamma.logGamma(r) - Gamma.logGamma(j + 1.0)
                        + r * lnAlphaShare + (j == 0 ? 0 : j * lnTShare));
            }
            p += Math.exp(Beta.logBeta(a + 1, b + n - 1) - lnBab) * (1 - sum);
        }
        return Math.min(1.0, Math.max(0.0, p));
    }

    /**
     * Cumulative expected purchases at each of {@code times} (ascending) for a customer with history (x, t_x, T):
     * the building block of discounted lifetime value.
     */
    public double[] expectedPurchasesPath(double[] times, int x, double tx, double t) {
        double[] out = new double[times.length];
        double aa = shape(x);
        double factor = (aa + b + x - 1) / (aa - 1) * pAlive(x, tx, t);
        for (int i = 0; i < times.length; i++) {
            out[i] = times[i] <= 0 ? 0 : Math.max(0.0, factor * rest(times[i], x, t, aa));
            if (i > 0 && out[i] < out[i - 1]) out[i] = out[i - 1];
        }
        return out;
    }

    /** The same model in a time unit {@code factor} times as long (e.g. 7 for days to weeks): alpha / factor. */
    public BgNbd rescaleTime(double factor) {
        return new BgNbd(r, alpha / factor, a, b);
    }
}
