package io.foldwise.select;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * The corrected resampled t-test of Nadeau and Bengio (2003) for two models scored on the same J
 * cross-validation folds. The folds' training sets overlap, so the per-fold differences are
 * correlated and the plain paired t-test's variance {@code s²/J} is too small; the correction
 * multiplies {@code s²} by {@code 1/J + n_test/n_train} instead:
 * {@code t = mean(d) / sqrt((1/J + n_test/n_train) · s²)}, with J − 1 degrees of freedom, where
 * d are the per-fold differences and s² their sample variance (J − 1 denominator).
 *
 * @param meanDifference the mean per-fold difference
 * @param t              the statistic (NaN with fewer than two folds; ±infinity when every
 *                       difference is the same non-zero value)
 * @param df             degrees of freedom, J − 1
 * @param pValue         two-sided p-value: the probability of a mean difference at least this large
 *                       in either direction if the two models were equally good (NaN when undefined)
 * @param folds          J, the folds both models completed
 */
public record CorrectedTTest(double meanDifference, double t, int df, double pValue, int folds) {
    /**
     * @param differences   per-fold differences of the metric, over folds both models completed
     * @param testTrainRatio n_test / n_train of one fold: 1 / (k − 1) for k-fold cross-validation
     */
    public static CorrectedTTest of(double[] differences, double testTrainRatio) {
        int j = differences.length;
        if (j == 0) {
            return new CorrectedTTest(Double.NaN, Double.NaN, 0, Double.NaN, 0);
        }
        double mean = 0;
        for (double d : differences) {
            mean += d;
        }
        mean /= j;
        if (j < 2) {
            return new CorrectedTTest(mean, Double.NaN, 0, Double.NaN, j);
        }
        double ss = 0;
        for (double d : differences) {
            ss += (d - mean) * (d - mean);
        }
        double variance = ss / (j - 1);
        double se = Math.sqrt((1.0 / j + testTrainRatio) * variance);
        int df = j - 1;
        if (se == 0) {
            // Every fold differs by the same amount: no spread to test against.
            return mean == 0 ? new CorrectedTTest(0, 0, df, 1.0, j)
                    : new CorrectedTTest(mean, Math.copySign(Double.POSITIVE_INFINITY, mean), df, 0.0, j);
        }
        double t = mean / se;
        double p = 2 * new TDistribution(null, df).cumulativeProbability(-Math.abs(t));
        return new CorrectedTTest(mean, t, df, Math.min(1.0, p), j);
    }

    /** n_test / n_train of k-fold cross-validation: each fold validates on 1/k and trains on (k − 1)/k. */
    public static double kFoldRatio(int k) {
        return 1.0 / (k - 1);
    }

    /** True when the p-value is below {@code alpha}. */
    public boolean significant(double alpha) {
        return Double.isFinite(pValue) && pValue < alpha;
    }
}
