package dev.caravan.analytics.model;

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for the arguments the BG/NBD model needs: a, b &gt; 0,
 * c &gt; -1 (c &ne; 0) and 0 &le; z &lt; 1.
 *
 * <p>For c &gt; 0 every term of the series is positive, so the sum has no cancellation; terms are formed by their
 * ratio and the running sum is rescaled whenever it grows large, so the result is kept as a logarithm and never
 * overflows (heavy buyers give peaks of the series far beyond the double range). For -1 &lt; c &lt; 0 only the
 * first term after 1 has the other sign: 2F1 = 1 + (ab z / c) &middot; S, where S is again a positive series.
 *
 * <p>Convergence: the term ratio is z&middot;f(n) with f(n) = (A+n)(B+n)/((C+n)(D+n)) = 1 + g(n),
 * g(n) = ((A+B-C-D)n + AB - CD)/((C+n)(D+n)). Past the last turning point of g (none when A+B-C-D &le; 0, else
 * the larger root of g') every later ratio is at most max(next ratio, z), so the remaining tail is bounded by a
 * geometric series. The sum stops when that bound is below {@link #RELATIVE_TOLERANCE} of the sum; a series that
 * has not stopped after {@link #MAX_TERMS} terms throws {@link NonConvergenceException} rather than returning a
 * truncated value.
 */
public final class Hypergeometric {

    public static final double RELATIVE_TOLERANCE = 1e-15;
    public static final int MAX_TERMS = 2_000_000;
    private static final double RESCALE_ABOVE = 1e280;
    private static final double LOG_RESCALE = Math.log(RESCALE_ABOVE);

    private Hypergeometric() {
    }

    /** ln 2F1(a, b; c; z) for a, b, c &gt; 0 and 0 &le; z &lt; 1. */
    public static double log2F1(double a, double b, double c, double z) {
        check(a, b, c, z);
        if (!(c > 0)) throw new IllegalArgumentException("log2F1 needs c > 0; got c=" + c);
        return logSeries(a, b, c, 1.0, z);
    }

    /** 2F1(a, b; c; z) for a, b &gt; 0, c &gt; -1, c &ne; 0 and 0 &le; z &lt; 1 (may overflow to infinity). */
    public static double value2F1(double a, double b, double c, double z) {
        check(a, b, c, z);
        if (c > 0) return Math.exp(logSeries(a, b, c, 1.0, z));
        if (!(c > -1) || c == 0) throw new IllegalArgumentException("2F1 needs c > -1 and c != 0; got c=" + c);
        if (z == 0) return 1.0;
        // terms n >= 1: (ab z / c) * sum_m (a+1)_m (b+1)_m / ((c+1)_m (2)_m) z^m
        return 1.0 + a * b * z / c * Math.exp(logSeries(a + 1, b + 1, c + 1, 2.0, z));
    }

    private static void check(double a, double b, double c, double z) {
        if (!(a > 0 && b > 0) || !Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c)) {
            throw new IllegalArgumentException("2F1 needs finite a, b > 0; got a=" + a + " b=" + b + " c=" + c);
        }
        if (!(z >= 0 && z < 1)) throw new IllegalArgumentException("2F1 needs 0 <= z < 1; got z=" + z);
    }

    /** ln sum_{n>=0} prod_{k<n} z (A+k)(B+k)/((C+k)(D+k)) for A, B, C, D &gt; 0. */
    private static double logSeries(double a, double b, double c, double d, double z) {
        if (z == 0) return 0.0;
        double slope = a + b - c - d;
        double intercept = a * b - c * d;
        double checkFrom = 0;
        if (slope > 0) {
            double disc = intercept * intercept + slope * slope * c * d - slope * intercept * (c + d);
            if (disc > 0) checkFrom = (-intercept + Math.sqrt(disc)) / slope;
        }
        double term = 1.0;
        double sum = 1.0;
        double logScale = 0.0;
        for (int n = 0; n < MAX_TERMS; n++) {
            double ratio = (a + n) * (b + n) / ((c + n) * (d + n)) * z;
            term *= ratio;
            sum += term;
            if (sum > RESCALE_ABOVE) {
                sum /= RESCALE_ABOVE;
                term /= RESCALE_ABOVE;
                logScale += LOG_RESCALE;
            }
            if (ratio < 1.0 && n + 1 >= checkFrom) {
                double next = (a + n + 1) * (b + n + 1) / ((c + n + 1) * (d + n + 1)) * z;
                double rho = Math.max(next, z);
                if (rho < 1.0 && term * rho / (1.0 - rho) <= RELATIVE_TOLERANCE * sum) {
                    return logScale + Math.log(sum);
                }
            }
        }
        throw new NonConvergenceException("2F1 series (" + a + ", " + b + "; " + c + ", " + d + "; z=" + z
                + ") did not converge in " + MAX_TERMS + " terms");
    }
}
