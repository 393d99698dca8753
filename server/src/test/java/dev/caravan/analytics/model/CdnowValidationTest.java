package dev.caravan.analytics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.caravan.analytics.Cdnow;
import dev.caravan.analytics.SharedData;
import org.junit.jupiter.api.Test;

/**
 * The CDNOW data of the BG/NBD paper: the fit reproduces the published parameters, our summaries reproduce the
 * library authors' ones, and calibration-period predictions track the holdout period. Skips without shared/.
 */
class CdnowValidationTest {

    @Test
    void fitReproducesThePublishedParameters() throws IOException {
        List<String> lines = Files.readAllLines(SharedData.dataset("cdnow/cdnow_customers_summary_with_transactions.csv"));
        int n = lines.size() - 1;
        int[] x = new int[n];
        double[] tx = new double[n];
        double[] t = new double[n];
        double[] zbar = new double[n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            x[i] = Integer.parseInt(f[1]);
            tx[i] = Double.parseDouble(f[2]);
            t[i] = Double.parseDouble(f[3]);
            zbar[i] = Double.parseDouble(f[4]);
        }
        BgNbd.Fit fit = BgNbd.fit(BgNbdData.of(x, tx, t));
        assertThat(fit.converged()).as("%s", fit.warnings()).isTrue();
        assertThat(fit.customers()).isEqualTo(2357);
        // Fader, Hardie & Lee (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426; LL = -9582.4
        assertThat(fit.model().r()).isCloseTo(0.243, withPercentage(1));
        assertThat(fit.model().alpha()).isCloseTo(4.414, withPercentage(1));
        assertThat(fit.model().a()).isCloseTo(0.793, withPercentage(1));
        assertThat(fit.model().b()).isCloseTo(2.426, withPercentage(1));
        assertThat(fit.logLikelihood()).isCloseTo(-9582.4, withPercentage(0.01));

        // Fader & Hardie, "The Gamma-Gamma model of monetary value": p = 6.25, q = 3.74, v = 15.44
        GammaGamma.Fit spend = GammaGamma.fit(GammaGamma.Data.of(x, zbar));
        assertThat(spend.converged()).as("%s", spend.warnings()).isTrue();
        assertThat(spend.customers()).isEqualTo(946);
        assertThat(spend.model().p()).isCloseTo(6.25, withPercentage(1));
        assertThat(spend.model().q()).isCloseTo(3.74, withPercentage(1));
        assertThat(spend.model().v()).isCloseTo(15.44, withPercentage(1));
    }

    @Test
    void summariesFromTheTransactionLogMatchThePublishedOnes() throws IOException {
        Map<String, Cdnow.Purchases> sample = Cdnow.sample();
        List<String> lines = Files.readAllLines(SharedData.dataset("cdnow/cdnow_customers_summary_with_transactions.csv"));
        assertThat(sample).hasSize(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            Rfm rfm = sample.get(String.format("%04d", Integer.parseInt(f[0]))).rfm(Cdnow.CALIBRATION_END);
            assertThat(rfm.x()).as("x of %s", f[0]).isEqualTo(Integer.parseInt(f[1]));
            assertThat(rfm.tx() / 7.0).as("t_x of %s", f[0]).isCloseTo(Double.parseDouble(f[2]), org.assertj.core.data.Offset.offset(0.006));
            assertThat(rfm.t() / 7.0).as("T of %s", f[0]).isCloseTo(Double.parseDouble(f[3]), org.assertj.core.data.Offset.offset(0.006));
            assertThat(rfm.monetary()).as("zbar of %s", f[0]).isCloseTo(Double.parseDouble(f[4]), org.assertj.core.data.Offset.offset(0.006));
        }
    }

    @Test
    void calibrationFitTracksTheHoldoutPeriod() {
        Map<String, Cdnow.Purchases> sample = Cdnow.sample();
        List<Rfm> cal = new ArrayList<>();
        List<Integer> actual = new ArrayList<>();
        sample.values().forEach(p -> {
            cal.add(p.rfm(Cdnow.CALIBRATION_END));
            actual.add(p.purchaseDaysIn(Cdnow.CALIBRATION_END, Cdnow.HOLDOUT_END));
        });
        int n = cal.size();
        int[] x = new int[n];
        double[] tx = new double[n];
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = cal.get(i).x();
            tx[i] = cal.get(i).tx();
            t[i] = cal.get(i).t();
        }
        BgNbd model = BgNbd.fit(BgNbdData.of(x, tx, t)).model();   // in days
        assertThat(model.rescaleTime(7).alpha()).isCloseTo(4.414, withPercentage(2));
        double holdoutDays = Cdnow.HOLDOUT_END.toEpochDay() - Cdnow.CALIBRATION_END.toEpochDay();
        double predicted = 0;
        double observed = 0;
        double[] predictedByX = new double[8];
        double[] observedByX = new double[8];
        int[] countByX = new int[8];
        for (int i = 0; i < n; i++) {
            double e = model.expectedPurchases(holdoutDays, x[i], tx[i], t[i]);
            predicted += e;
            observed += actual.get(i);
            int g = Math.min(x[i], 7);
            predictedByX[g] += e;
            observedByX[g] += actual.get(i);
            countByX[g]++;
        }
        double error = (predicted - observed) / observed;
        System.out.printf("CDNOW holdout (39 weeks): predicted %.1f, actual %.0f repeat purchases, error %+.2f%%%n",
                predicted, observed, 100 * error);
        for (int g = 0; g < 8; g++) {
            System.out.printf("  x=%s%d: n=%4d  predicted mean %.3f  actual mean %.3f%n", g == 7 ? ">=" : "", g,
                    countByX[g], predictedByX[g] / countByX[g], observedByX[g] / countByX[g]);
        }
        // With the published parameters the BG/NBD under-predicts this holdout by about 12 % (1,653 predicted against
        // 1,882 repeat purchase days; the conditional expectations are checked against simulation in
        // ModelRecoveryTest, so this is the model's error on CDNOW, not the code's). Guard against it getting worse.
        assertThat(Math.abs(error)).isLessThan(0.15);
        for (int g = 0; g < 8; g++) {
            assertThat(predictedByX[g] / countByX[g]).as("conditional expectation, x=%d", g)
                    .isCloseTo(observedByX[g] / countByX[g], org.assertj.core.data.Offset.offset(0.35 + 0.2 * observedByX[g] / countByX[g]));
        }
    }

    @Test
    void masterFileFitsWithoutErrors() {
        Map<String, Cdnow.Purchases> master = Cdnow.master();
        assertThat(master).hasSize(23_570);
        Cdnow.Summaries sum = Cdnow.summarise(master, Cdnow.HOLDOUT_END);
        int n = sum.size();
        int[] x = sum.x();
        double[] tx = sum.tx();
        double[] t = sum.t();
        double[] m = sum.m();
        BgNbd.Fit fit = BgNbd.fit(BgNbdData.of(x, tx, t));
        GammaGamma.Fit spend = GammaGamma.fit(GammaGamma.Data.of(x, m));
        assertThat(fit.converged()).as("%s", fit.warnings()).isTrue();
        assertThat(spend.converged()).as("%s", spend.warnings()).isTrue();
        for (int k = 0; k < n; k += 97) {
            double e = fit.model().expectedPurchases(365, x[k], tx[k], t[k]);
            assertThat(e).isFinite().isNotNegative();
            assertThat(fit.model().pAlive(x[k], tx[k], t[k])).isBetween(0.0, 1.0);
        }
        System.out.printf("CDNOW master (days): %s LL=%.1f; %s LL=%.1f%n", fit.model(), fit.logLikelihood(),
                spend.model(), spend.logLikelihood());
    }
}
