package dev.caravan.analytics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClvScorerTest {

    final BgNbd purchases = new BgNbd(0.5, 40, 0.8, 3.0);
    final GammaGamma spend = new GammaGamma(6, 4, 60);

    @Test
    void batchScoringMatchesOneByOne() {
        Simulation.Customers c = Simulation.draw(9, 5000, purchases, spend, 1, 400, true);
        ClvScorer scorer = new ClvScorer(purchases, spend, 365, 30, 0.1, 0.4);
        ClvScorer.Scores all = scorer.scoreAll(c.x(), c.tx(), c.t(), c.monetary(), 5000);
        ClvScorer.Score one = new ClvScorer.Score();
        assertThat(all.failures).isZero();
        for (int i = 0; i < 5000; i++) {
            scorer.score(c.x()[i], c.tx()[i], c.t()[i], c.monetary()[i], one);
            assertThat(all.pAlive[i]).isEqualTo(one.pAlive);
            assertThat(all.expectedPurchases[i]).isEqualTo(one.expectedPurchases);
            assertThat(all.clv[i]).isCloseTo(one.clv, within(1e-9 * (1 + one.clv)));
        }
    }

    @Test
    void clvIsValueTimesPurchasesWithoutDiscountAndLessWithIt() {
        ClvScorer plain = new ClvScorer(purchases, spend, 365, 30, 0.0, 1.0);
        ClvScorer discounted = new ClvScorer(purchases, spend, 365, 30, 0.2, 1.0);
        ClvScorer.Score a = plain.score(4, 200, 300, 75.0, new ClvScorer.Score());
        ClvScorer.Score b = discounted.score(4, 200, 300, 75.0, new ClvScorer.Score());
        assertThat(a.expectedPurchases).isCloseTo(purchases.expectedPurchases(365, 4, 200, 300), within(1e-12));
        assertThat(a.expectedOrderValue).isCloseTo(6 * (60 + 4 * 75.0) / (6 * 4 + 4 - 1), within(1e-9));
        assertThat(a.clv).isCloseTo(a.expectedOrderValue * a.expectedPurchases, within(1e-9));
        assertThat(b.clv).isLessThan(a.clv).isGreaterThan(a.clv / 1.2);
        // a one-time buyer gets the population's mean order value
        assertThat(plain.score(0, 0, 100, 0, new ClvScorer.Score()).expectedOrderValue).isCloseTo(spend.populationMean(), within(1e-12));
    }
}
