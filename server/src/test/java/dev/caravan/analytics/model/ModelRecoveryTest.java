package dev.caravan.analytics.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Parameter recovery: customers drawn from the generative processes with known parameters; the maximum likelihood
 * estimates must lie within four standard errors of the truth (the standard errors come from the fit's Hessian and
 * are checked to be small, so the test is not vacuous).
 */
class ModelRecoveryTest {

    @Test
    void recoversBgNbdParameters() {
        BgNbd truth = new BgNbd(0.243, 4.414, 0.793, 2.426);   // CDNOW's published values, weeks
        Simulation.Customers c = Simulation.draw(42, 30_000, truth, null, 20, 78, false);
        BgNbd.Fit fit = BgNbd.fit(BgNbdData.of(c.x(), c.tx(), c.t()));

        assertThat(fit.converged()).as("warnings %s", fit.warnings()).isTrue();
        double[] est = {fit.model().r(), fit.model().alpha(), fit.model().a(), fit.model().b()};
        double[] tru = {truth.r(), truth.alpha(), truth.a(), truth.b()};
        for (int i = 0; i < 4; i++) {
            double se = fit.standardErrors()[i];
            assertThat(se).as("SE of %s", BgNbd.NAMES[i]).isPositive().isLessThan(0.25 * tru[i]);
            assertThat(Math.abs(est[i] - tru[i])).as("%s: estimate %s, truth %s, SE %s", BgNbd.NAMES[i], est[i], tru[i], se)
                    .isLessThan(4 * se);
        }
    }

    @Test
    void recoversBgNbdParametersFromDayGranularData() {
        BgNbd truth = new BgNbd(0.5, 40.0, 1.2, 4.0);          // days
        Simulation.Customers c = Simulation.draw(7, 40_000, truth, null, 30, 720, true);
        BgNbdData data = BgNbdData.of(c.x(), c.tx(), c.t());
        assertThat(data.rows()).isLessThan(data.customers());   // identical customers were merged
        BgNbd.Fit fit = BgNbd.fit(data);
        double[] est = {fit.model().r(), fit.model().alpha(), fit.model().a(), fit.model().b()};
        double[] tru = {truth.r(), truth.alpha(), truth.a(), truth.b()};
        for (int i = 0; i < 4; i++) {
            // day rounding biases the estimates slightly; allow 4 SE plus 3 %
            assertThat(Math.abs(est[i] - tru[i])).as("%s: estimate %s, truth %s", BgNbd.NAMES[i], est[i], tru[i])
                    .isLessThan(4 * fit.standardErrors()[i] + 0.03 * tru[i]);
        }
    }

    @Test
    void recoversGammaGammaParameters() {
        BgNbd purchases = new BgNbd(0.8, 5.0, 0.5, 3.0);
        GammaGamma truth = new GammaGamma(6.25, 3.74, 15.44);   // CDNOW's published values
        Simulation.Customers c = Simulation.draw(3, 40_000, purchases, truth, 20, 78, false);
        GammaGamma.Data data = GammaGamma.Data.of(c.x(), c.monetary());
        assertThat(data.customers()).isGreaterThan(10_000);
        GammaGamma.Fit fit = GammaGamma.fit(data);

        assertThat(fit.converged()).as("warnings %s", fit.warnings()).isTrue();
        double[] est = {fit.model().p(), fit.model().q(), fit.model().v()};
        double[] tru = {truth.p(), truth.q(), truth.v()};
        for (int i = 0; i < 3; i++) {
            double se = fit.standardErrors()[i];
            assertThat(se).isPositive().isLessThan(0.25 * tru[i]);
            assertThat(Math.abs(est[i] - tru[i])).as("%s: estimate %s, truth %s, SE %s", GammaGamma.NAMES[i], est[i], tru[i], se)
                    .isLessThan(4 * se);
        }
    }

    @Test
    void predictionsAgreeWithSimulatedFutures() {
        // E[X(t)] of a new customer (eq. 9) against the mean of simulated customers' repeat purchases by t
        BgNbd model = new BgNbd(0.243, 4.414, 0.793, 2.426);
        Simulation.Customers c = Simulation.draw(11, 60_000, model, null, 52, 52, false);
        double mean = java.util.Arrays.stream(c.x()).average().orElseThrow();
        assertThat(model.expectedPurchasesNew(52)).isCloseTo(mean, org.assertj.core.data.Percentage.withPercentage(3));
        // P(X(t) = n) sums to one and matches the simulated share of zero repeaters
        double total = 0;
        for (int n = 0; n < 400; n++) total += model.probabilityOfPurchases(n, 52);
        assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        double zeroShare = java.util.Arrays.stream(c.x()).filter(x -> x == 0).count() / 60_000.0;
        assertThat(model.probabilityOfPurchases(0, 52)).isCloseTo(zeroShare, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void conditionalExpectationsMatchSimulatedHoldouts() {
        // eq. 10 with the true parameters against what simulated customers actually did after the calibration period
        BgNbd model = new BgNbd(0.243, 4.414, 0.793, 2.426);
        Simulation.Split s = Simulation.drawSplit(5, 60_000, model, 39, 39);
        double predicted = 0;
        double actual = 0;
        double predictedBuyers = 0;
        double actualBuyers = 0;
        for (int i = 0; i < s.x().length; i++) {
            double e = model.expectedPurchases(39, s.x()[i], s.tx()[i], s.t()[i]);
            predicted += e;
            actual += s.holdout()[i];
            if (s.x()[i] >= 3) {
                predictedBuyers += e;
                actualBuyers += s.holdout()[i];
            }
        }
        assertThat(predicted).isCloseTo(actual, org.assertj.core.data.Percentage.withPercentage(3));
        assertThat(predictedBuyers).isCloseTo(actualBuyers, org.assertj.core.data.Percentage.withPercentage(5));
    }

    @Test
    void largeDataStartFromAThinnedFitAndStillRecover() {
        // above BgNbd.LARGE_ROWS / GammaGamma.LARGE the fits start from the fit of a thinned copy
        BgNbd truth = new BgNbd(0.5, 40.0, 0.8, 3.0);
        GammaGamma spendTruth = new GammaGamma(6, 4, 60);
        Simulation.Customers c = Simulation.draw(13, 300_000, truth, spendTruth, 1, 730, true);
        BgNbdData data = BgNbdData.of(c.x(), c.tx(), c.t());
        assertThat(data.rows()).isGreaterThanOrEqualTo(BgNbd.LARGE_ROWS);
        BgNbd.Fit fit = BgNbd.fit(data);
        assertThat(fit.converged()).as("%s", fit.warnings()).isTrue();
        double[] est = {fit.model().r(), fit.model().alpha(), fit.model().a(), fit.model().b()};
        double[] tru = {truth.r(), truth.alpha(), truth.a(), truth.b()};
        for (int i = 0; i < 4; i++) {
            assertThat(Math.abs(est[i] - tru[i])).as("%s: estimate %s, truth %s", BgNbd.NAMES[i], est[i], tru[i])
                    .isLessThan(4 * fit.standardErrors()[i] + 0.03 * tru[i]);
        }
        GammaGamma.Data spendData = GammaGamma.Data.of(c.x(), c.monetary());
        assertThat(spendData.customers()).isGreaterThanOrEqualTo(GammaGamma.LARGE);
        GammaGamma.Fit spend = GammaGamma.fit(spendData);
        assertThat(spend.converged()).as("%s", spend.warnings()).isTrue();
        double[] sEst = {spend.model().p(), spend.model().q(), spend.model().v()};
        double[] sTru = {6, 4, 60};
        for (int i = 0; i < 3; i++) {
            assertThat(Math.abs(sEst[i] - sTru[i])).as("%s: estimate %s", GammaGamma.NAMES[i], sEst[i])
                    .isLessThan(4 * spend.standardErrors()[i]);
        }
    }
}
