package dev.caravan.analytics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HypergeometricTest {

    @Test
    void matchesClosedForms() {
        // 2F1(1, 1; 2; z) = -ln(1 - z) / z
        for (double z : new double[]{1e-6, 0.1, 0.5, 0.9, 0.999}) {
            assertThat(Math.exp(Hypergeometric.log2F1(1, 1, 2, z))).isCloseTo(-Math.log1p(-z) / z, within(1e-12 * (-Math.log1p(-z) / z)));
        }
        // 2F1(a, b; b; z) = (1 - z)^-a, also for large a where the value overflows a double
        assertThat(Hypergeometric.log2F1(2.5, 3.0, 3.0, 0.7)).isCloseTo(-2.5 * Math.log(0.3), within(1e-12));
        assertThat(Hypergeometric.log2F1(900.3, 400.0, 400.0, 0.95)).isCloseTo(-900.3 * Math.log(0.05), within(1e-9));
        assertThat(Hypergeometric.log2F1(1, 1, 2, 0)).isZero();
    }

    @Test
    void negativeLowerParameterAboveMinusOne() {
        // 2F1(a, b; c; z) with c in (-1, 0), checked against the contiguous relation in c:
        // c(c-1)(z-1) F(c-1) + c[c-1-(2c-a-b-1)z] F(c) + (c-a)(c-b) z F(c+1) = 0, with c -> c+1
        double a = 0.4;
        double b = 0.35;
        double c0 = -0.25;
        double z = 0.6;
        double f0 = Hypergeometric.value2F1(a, b, c0, z);
        double c = c0 + 1;
        double f1 = Hypergeometric.value2F1(a, b, c, z);
        double f2 = Hypergeometric.value2F1(a, b, c + 1, z);
        double residual = c * (c - 1) * (z - 1) * f0 + c * (c - 1 - (2 * c - a - b - 1) * z) * f1 + (c - a) * (c - b) * z * f2;
        assertThat(residual).isCloseTo(0, within(1e-12));
    }

    @Test
    void rejectsArgumentsOutsideItsDomain() {
        assertThatThrownBy(() -> Hypergeometric.log2F1(1, 1, 2, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hypergeometric.log2F1(-1, 1, 2, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hypergeometric.log2F1(1, 1, Double.NaN, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reportsNonConvergenceInsteadOfTruncating() {
        // z = 1 - 1e-9: the tail shrinks by 1e-9 per term, far beyond the term budget
        assertThatThrownBy(() -> Hypergeometric.log2F1(1, 1, 2, 1 - 1e-9)).isInstanceOf(NonConvergenceException.class);
    }
}
