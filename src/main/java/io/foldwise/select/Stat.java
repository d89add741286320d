package io.foldwise.select;

import java.util.Collection;
import java.util.Locale;

/**
 * Mean and sample standard deviation (n − 1 denominator) of a quantity over folds.
 *
 * @param mean NaN when n = 0
 * @param std  NaN when n < 2
 * @param n    the number of values
 */
public record Stat(double mean, double std, int n) {
    /** Of these values (all finite). */
    public static Stat of(Collection<Double> values) {
        int n = values.size();
        if (n == 0) {
            return new Stat(Double.NaN, Double.NaN, 0);
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        if (n < 2) {
            return new Stat(mean, Double.NaN, n);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new Stat(mean, Math.sqrt(ss / (n - 1)), n);
    }

    /** {@code 0.1234 ± 0.0056}, or {@code -} with no values. */
    public String format() {
        if (n == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.4f", mean)
                + (Double.isNaN(std) ? "" : String.format(Locale.ROOT, " ± %.4f", std));
    }
}
