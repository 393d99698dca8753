package dev.caravan.analytics.model;

import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.SimpleBounds;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Additive Holt-Winters exponential smoothing (level, trend, seasonal components; Holt's linear method when the
 * season length is 0). The smoothing constants are chosen by Hipparchus' BOBYQA to minimise the one-step-ahead
 * squared error over the series; the components start from the first two seasons (level: mean of the first
 * season; trend: difference of the first two seasons' means per period; seasonal: first season minus its mean).
 *
 * @param season length of a season in periods, 0 for none
 */
public record HoltWinters(int season, double alpha, double beta, double gamma, double level, double trend,
                          double[] seasonal, int length, double sse) {

    /** Fits to {@code y}; needs at least two full seasons (or 3 points without a season). */
    public static HoltWinters fit(double[] y, int season) {
        int min = season > 0 ? 2 * season : 3;
        if (y.length < min) throw new IllegalArgumentException("Holt-Winters with season " + season + " needs at least "
                + min + " periods; got " + y.length);
        int n = season > 0 ? 3 : 2;
        double[] lo = new double[n];
        double[] hi = new double[n];
        double[] start = new double[n];
        for (int i = 0; i < n; i++) {
            lo[i] = 0.0;
            hi[i] = 1.0;
            start[i] = i == 0 ? 0.3 : 0.1;
        }
        PointValuePair best;
        try {
            best = new BOBYQAOptimizer(2 * n + 1, 0.2, 1e-6).optimize(new MaxEval(5000),
                    new ObjectiveFunction(p -> run(y, season, p[0], p[1], season > 0 ? p[2] : 0, 0, null).sse),
                    GoalType.MINIMIZE, new InitialGuess(start), new SimpleBounds(lo, hi));
        } catch (MathIllegalStateException e) {
            throw new NonConvergenceException("Holt-Winters smoothing constants did not converge: " + e.getMessage(), e);
        }
        double[] p = best.getPoint();
        return run(y, season, p[0], p[1], season > 0 ? p[2] : 0, 0, null);
    }

    /** Forecasts the {@code h} periods after the series. */
    public double[] forecast(int h) {
        double[] out = new double[h];
        for (int k = 1; k <= h; k++) {
            double s = season > 0 ? seasonal[(length + k - 1) % season] : 0;
            out[k - 1] = level + k * trend + s;
        }
        return out;
    }

    private static HoltWinters run(double[] y, int season, double a, double b, double g, int unused, double[] fitted) {
        double level;
        double trend;
        double[] s = new double[Math.max(season, 1)];
        int first;
        if (season > 0) {
            double m1 = 0;
            double m2 = 0;
            for (int i = 0; i < season; i++) {
                m1 += y[i];
                m2 += y[season + i];
            }
            m1 /= season;
            m2 /= season;
            level = m1;
            trend = (m2 - m1) / season;
            for (int i = 0; i < season; i++) s[i] = y[i] - m1;
            first = season;
        } else {
            level = y[0];
            trend = y[1] - y[0];
            first = 1;
        }
        double sse = 0;
        for (int t = first; t < y.length; t++) {
            double st = season > 0 ? s[t % season] : 0;
            double predicted = level + trend + st;
            double err = y[t] - predicted;
            sse += err * err;
            double newLevel = a * (y[t] - st) + (1 - a) * (level + trend);
            trend = b * (newLevel - level) + (1 - b) * trend;
            if (season > 0) s[t % season] = g * (y[t] - newLevel) + (1 - g) * st;
            level = newLevel;
        }
        return new HoltWinters(season, a, b, g, level, trend, s, y.length, sse);
    }

    /** Mean absolute percentage error over the periods with a positive actual value; NaN when there are none. */
    public static double mape(double[] actual, double[] predicted) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] > 0) {
                sum += Math.abs(actual[i] - predicted[i]) / actual[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
