package dev.caravan.analytics.model;

import org.hipparchus.random.RandomDataGenerator;
import org.hipparchus.random.Well19937c;

/** Draws customers from the BG/NBD and Gamma-Gamma generative processes (as in the papers). */
public final class Simulation {

    /** Simulated customers: x, t_x, T and the mean value of the repeat purchases. */
    public record Customers(int[] x, double[] tx, double[] t, double[] monetary) {
    }

    private Simulation() {
    }

    /**
     * Each customer: lambda ~ Gamma(r, 1/alpha), p ~ Beta(a, b); purchases as a Poisson process with rate lambda
     * until, after a repeat purchase, she drops out with probability p. Ages uniform in [minT, maxT]. When
     * {@code spend} is given, each repeat purchase's value is Gamma(p, 1/nu) with nu ~ Gamma(q, 1/v).
     * With {@code wholeDays}, times are rounded down to whole days (as day-granular data are).
     */
    public static Customers draw(long seed, int n, BgNbd model, GammaGamma spend, double minT, double maxT,
                                 boolean wholeDays) {
        RandomDataGenerator rng = RandomDataGenerator.of(new Well19937c(seed));
        int[] x = new int[n];
        double[] tx = new double[n];
        double[] t = new double[n];
        double[] m = new double[n];
        for (int i = 0; i < n; i++) {
            double age = maxT > minT ? rng.nextUniform(minT, maxT) : minT;
            if (wholeDays) age = Math.floor(age);
            double lambda = rng.nextGamma(model.r(), 1.0 / model.alpha());
            double p = rng.nextBeta(model.a(), model.b());
            double nu = spend == null ? 0 : rng.nextGamma(spend.q(), 1.0 / spend.v());
            double now = 0;
            double last = 0;
            int count = 0;
            double sum = 0;
            int lastDay = 0;
            while (true) {
                now += rng.nextExponential(1.0 / lambda);
                if (now > age) break;
                if (wholeDays && Math.floor(now) == lastDay) {
                    // the same day again: one purchase occasion; the dropout coin is still thrown
                } else {
                    count++;
                    last = wholeDays ? Math.floor(now) : now;
                    lastDay = (int) Math.floor(now);
                    if (spend != null) sum += rng.nextGamma(spend.p(), 1.0 / nu);
                }
                if (rng.nextUniform(0, 1) < p) break;
            }
            x[i] = count;
            tx[i] = count == 0 ? 0 : last;
            t[i] = age;
            m[i] = count == 0 ? 0 : sum / count;
        }
        return new Customers(x, tx, t, m);
    }

    /** Calibration summaries at age {@code calibration} and each customer's purchases in the following {@code holdout}. */
    public record Split(int[] x, double[] tx, double[] t, int[] holdout) {
    }

    public static Split drawSplit(long seed, int n, BgNbd model, double calibration, double holdout) {
        RandomDataGenerator rng = RandomDataGenerator.of(new Well19937c(seed));
        int[] x = new int[n];
        double[] tx = new double[n];
        double[] t = new double[n];
        int[] later = new int[n];
        for (int i = 0; i < n; i++) {
            double lambda = rng.nextGamma(model.r(), 1.0 / model.alpha());
            double p = rng.nextBeta(model.a(), model.b());
            double now = 0;
            while (true) {
                now += rng.nextExponential(1.0 / lambda);
                if (now > calibration + holdout) break;
                if (now <= calibration) {
                    x[i]++;
                    tx[i] = now;
                } else {
                    later[i]++;
                }
                if (rng.nextUniform(0, 1) < p) break;
            }
            t[i] = calibration;
        }
        return new Split(x, tx, t, later);
    }
}
