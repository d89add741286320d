package io.foldwise.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The corrected resampled t-test against a hand-computed example. */
class CorrectedTTestTest {
    @Test
    void matchesTheHandComputedExample() {
        // Five folds (k = 5: n_test / n_train = 1/4); differences 0.02, 0.01, 0.03, 0.00, 0.04.
        // mean 0.02; squared deviations 0, 1e-4, 1e-4, 4e-4, 4e-4 sum to 1e-3; s² = 1e-3 / 4 = 2.5e-4.
        // Corrected variance (1/5 + 1/4) · 2.5e-4 = 1.125e-4; t = 0.02 / sqrt(1.125e-4) = 1.885618.
        // Student t with 4 df: F(t) = 1/2 + 3/8 · x · (1 − x² / 12 · ...) in closed form gives a
        // two-sided p of 0.132419 (the plain paired t-test would give t = 2.828, p = 0.047).
        CorrectedTTest test = CorrectedTTest.of(new double[] {0.02, 0.01, 0.03, 0.00, 0.04},
                CorrectedTTest.kFoldRatio(5));
        assertThat(test.meanDifference()).isCloseTo(0.02, within(1e-12));
        assertThat(test.t()).isCloseTo(1.885618, within(1e-6));
        assertThat(test.df()).isEqualTo(4);
        assertThat(test.pValue()).isCloseTo(0.132419, within(1e-6));
        assertThat(test.folds()).isEqualTo(5);
        assertThat(test.significant(0.05)).isFalse();
    }

    @Test
    void signFollowsTheDifferenceAndPIsTwoSided() {
        CorrectedTTest up = CorrectedTTest.of(new double[] {0.02, 0.01, 0.03, 0.00, 0.04}, 0.25);
        CorrectedTTest down = CorrectedTTest.of(new double[] {-0.02, -0.01, -0.03, -0.00, -0.04}, 0.25);
        assertThat(down.t()).isCloseTo(-up.t(), within(1e-12));
        assertThat(down.pValue()).isCloseTo(up.pValue(), within(1e-12));
    }

    @Test
    void degenerateCases() {
        assertThat(CorrectedTTest.of(new double[] {0.1}, 0.5).pValue()).isNaN();
        assertThat(CorrectedTTest.of(new double[] {}, 0.5).folds()).isZero();
        assertThat(CorrectedTTest.of(new double[] {0, 0, 0}, 0.5).pValue()).isEqualTo(1.0);
        CorrectedTTest constant = CorrectedTTest.of(new double[] {0.01, 0.01, 0.01}, 0.5);
        assertThat(constant.pValue()).isZero();
        assertThat(constant.t()).isPositive().isInfinite();
    }
}
