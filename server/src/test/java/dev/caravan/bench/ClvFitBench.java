package dev.caravan.bench;

import java.util.Arrays;
import java.util.Map;

import dev.caravan.analytics.Cdnow;
import dev.caravan.analytics.model.BgNbd;
import dev.caravan.analytics.model.BgNbdData;
import dev.caravan.analytics.model.ClvScorer;
import dev.caravan.analytics.model.GammaGamma;
import dev.caravan.analytics.model.Simulation;

/**
 * BG/NBD + Gamma-Gamma fit speed. Run from the repository root after {@code ./mvnw -q -pl server -am test-compile}:
 * <pre>
 * ./mvnw -q -pl server dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx4g -cp server/target/test-classes:server/target/classes:$(cat server/target/cp.txt) dev.caravan.bench.ClvFitBench
 * </pre>
 * 1. CDNOW master (23,570 customers, the whole period, days): warm fit of both models from the customers'
 *    summaries, median of 30 runs after 30 warm-up runs.
 * 2. 1,000,000 synthetic customers (day-granular, two years of ages): fit both models and score every customer
 *    (P(alive), expected purchases over 365 days, expected order value, discounted CLV in 30-day steps), in memory
 *    (reading histories from and writing predictions to the store are not included).
 * Prints the load average too: the machine is shared, and figures under load are several times slower.
 */
public final class ClvFitBench {

    public static void main(String[] args) {
        System.out.printf("load average at start: %s%n", loadAverage());
        Map<String, Cdnow.Purchases> master = Cdnow.master();
        long t0 = System.nanoTime();
        Cdnow.Summaries sum = Cdnow.summarise(master, Cdnow.HOLDOUT_END);
        int n = sum.size();
        int[] x = sum.x();
        double[] tx = sum.tx();
        double[] t = sum.t();
        double[] m = sum.m();
        System.out.printf("CDNOW master: %d customers summarised in %.1f ms%n", n, (System.nanoTime() - t0) / 1e6);
        double[] runs = new double[30];
        BgNbd.Fit fit = null;
        GammaGamma.Fit spend = null;
        for (int round = 0; round < 60; round++) {
            long s = System.nanoTime();
            fit = BgNbd.fit(BgNbdData.of(x, tx, t));
            spend = GammaGamma.fit(GammaGamma.Data.of(x, m));
            if (round >= 30) runs[round - 30] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(runs);
        System.out.printf("CDNOW master warm fit (BG/NBD %d evals + Gamma-Gamma %d evals): median %.1f ms, min %.1f ms, max %.1f ms%n",
                fit.evaluations(), spend.evaluations(), runs[15], runs[0], runs[29]);
        System.out.printf("  %s%n  %s%n", fit.model(), spend.model());

        int big = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        if (big <= 0) return;
        Simulation.Customers c = Simulation.draw(1, big, new BgNbd(0.5, 40, 0.8, 3.0), new GammaGamma(6, 4, 60), 1, 730, true);
        for (int round = 0; round < 2; round++) {
            long s = System.nanoTime();
            BgNbd.Fit f = BgNbd.fit(BgNbdData.of(c.x(), c.tx(), c.t()));
            GammaGamma.Fit g = GammaGamma.fit(GammaGamma.Data.of(c.x(), c.monetary()));
            long fitted = System.nanoTime();
            ClvScorer scorer = new ClvScorer(f.model(), g.model(), 365, 30, 0.10, 1.0);
            ClvScorer.Scores scores = scorer.scoreAll(c.x(), c.tx(), c.t(), c.monetary(), big);
            double total = 0;
            for (int k = 0; k < big; k++) total += scores.clv[k];
            long scored = System.nanoTime();
            System.out.printf("load average: %s%n", loadAverage());
            System.out.printf("%,d synthetic customers (%,d rows after merging): fit %.2f s, score %.2f s, total %.2f s (sum CLV %.0f)%n",
                    big, BgNbdData.of(c.x(), c.tx(), c.t()).rows(), (fitted - s) / 1e9, (scored - fitted) / 1e9,
                    (scored - s) / 1e9, total);
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
