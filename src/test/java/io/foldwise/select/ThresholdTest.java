package io.foldwise.select;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.config.ThresholdConfig;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The threshold from per-bin counts: the F1 maximum, or the best trade-off that reaches a minimum. */
class ThresholdTest {
    /** 100 positives spread high, 900 negatives spread low, overlapping in the middle. */
    private static long[][] constructed() {
        long[] pos = new long[Threshold.BINS];
        long[] neg = new long[Threshold.BINS];
        Random r = new Random(3);
        for (int i = 0; i < 100; i++) {
            pos[Threshold.bin(Math.min(1, Math.max(0, 0.7 + 0.2 * r.nextGaussian())))]++;
        }
        for (int i = 0; i < 900; i++) {
            neg[Threshold.bin(Math.min(1, Math.max(0, 0.3 + 0.2 * r.nextGaussian())))]++;
        }
        return new long[][] {pos, neg};
    }

    /** F1 of predicting positive for bins >= k, by brute force. */
    private static double[] bruteForce(long[] pos, long[] neg, int k) {
        long tp = 0;
        long fp = 0;
        long all = 0;
        for (int b = 0; b < pos.length; b++) {
            all += pos[b];
            if (b >= k) {
                tp += pos[b];
                fp += neg[b];
            }
        }
        double precision = tp + fp == 0 ? 1 : (double) tp / (tp + fp);
        double recall = (double) tp / all;
        return new double[] {precision, recall, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)};
    }

    @Test
    void f1ThresholdMaximisesF1OverEveryThreshold() {
        long[][] c = constructed();
        Threshold t = Threshold.choose(c[0], c[1], ThresholdConfig.F1);
        int k = (int) Math.round(t.value() * Threshold.BINS);
        double best = bruteForce(c[0], c[1], k)[2];
        assertThat(t.chosenPoint().f1()).isEqualTo(best);
        for (int j = 1; j < Threshold.BINS; j++) {
            assertThat(bruteForce(c[0], c[1], j)[2]).as("F1 at %d", j).isLessThanOrEqualTo(best);
        }
        assertThat(t.value()).isNotEqualTo(0.5); // the skew moves it
        assertThat(t.toCsv()).contains(",true\n");
    }

    @Test
    void minimumPrecisionTakesTheHighestRecallThatReachesIt() {
        long[][] c = constructed();
        Threshold t = Threshold.choose(c[0], c[1], new ThresholdConfig(ThresholdConfig.Goal.PRECISION, 0.9));
        assertThat(t.chosenPoint().precision()).isGreaterThanOrEqualTo(0.9);
        for (int j = 1; j < Threshold.BINS; j++) {
            double[] m = bruteForce(c[0], c[1], j);
            if (m[0] >= 0.9) {
                assertThat(m[1]).isLessThanOrEqualTo(t.chosenPoint().recall());
            }
        }
        Threshold r = Threshold.choose(c[0], c[1], new ThresholdConfig(ThresholdConfig.Goal.RECALL, 0.95));
        assertThat(r.chosenPoint().recall()).isGreaterThanOrEqualTo(0.95);
        assertThat(r.value()).isLessThan(t.value());
    }
}
