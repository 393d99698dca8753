package dev.caravan.analytics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HoltWintersTest {

    @Test
    void forecastsATrendingSeasonalSeries() {
        int season = 13;
        double[] y = new double[6 * season + 8];
        java.util.Random rnd = new java.util.Random(1);
        for (int t = 0; t < y.length; t++) {
            y[t] = 1000 + 5 * t + 200 * Math.sin(2 * Math.PI * t / season) + rnd.nextGaussian() * 20;
        }
        double[] train = java.util.Arrays.copyOf(y, y.length - 8);
        double[] actual = java.util.Arrays.copyOfRange(y, y.length - 8, y.length);
        double seasonal = HoltWinters.mape(actual, HoltWinters.fit(train, season).forecast(8));
        double flat = HoltWinters.mape(actual, HoltWinters.fit(train, 0).forecast(8));
        assertThat(seasonal).isLessThan(0.04);
        assertThat(seasonal).isLessThan(flat);
    }

    @Test
    void needsTwoSeasons() {
        assertThatThrownBy(() -> HoltWinters.fit(new double[20], 13)).isInstanceOf(IllegalArgumentException.class);
        assertThat(HoltWinters.mape(new double[]{0, 0}, new double[]{1, 1})).isNaN();
    }
}
