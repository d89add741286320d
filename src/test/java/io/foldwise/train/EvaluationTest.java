package io.foldwise.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-class and macro metrics from a confusion matrix, checked against hand-computed values. */
class EvaluationTest {
    // actual \ predicted: a, b, c (c never occurs and is never predicted)
    private static final long[][] CONFUSION = {{8, 2, 0}, {4, 6, 0}, {0, 0, 0}};
    private final Evaluation eval = new Evaluation(List.of("a", "b", "c"), CONFUSION, 0.5, 20);

    @Test
    void perClassPrecisionRecallAndF1() {
        assertThat(eval.precision(0)).isCloseTo(8.0 / 12, within(1e-12));
        assertThat(eval.recall(0)).isCloseTo(8.0 / 10, within(1e-12));
        double p = 8.0 / 12;
        double r = 0.8;
        assertThat(eval.f1(0)).isCloseTo(2 * p * r / (p + r), within(1e-12));
        assertThat(eval.precision(1)).isCloseTo(6.0 / 8, within(1e-12));
        assertThat(eval.recall(1)).isCloseTo(6.0 / 10, within(1e-12));
        assertThat(eval.accuracy()).isCloseTo(14.0 / 20, within(1e-12));
    }

    @Test
    void undefinedRatiosAreZeroAndAbsentClassesStayOutOfTheMacroMean() {
        assertThat(eval.precision(2)).isZero();
        assertThat(eval.recall(2)).isZero();
        assertThat(eval.f1(2)).isZero();
        assertThat(eval.macroF1()).isCloseTo((eval.f1(0) + eval.f1(1)) / 2, within(1e-12));
    }

    @Test
    void twoClassMacroF1AveragesBothClasses() {
        Evaluation binary = new Evaluation(List.of("no", "yes"), new long[][] {{5, 5}, {0, 10}}, 0.3, 20);
        double f1No = 2 * 1.0 * 0.5 / 1.5;
        double f1Yes = 2 * (10.0 / 15) * 1.0 / (10.0 / 15 + 1);
        assertThat(binary.macroF1()).isCloseTo((f1No + f1Yes) / 2, within(1e-12));
    }

    @Test
    void anEmptyEvaluationHasNoAccuracy() {
        Evaluation empty = new Evaluation(List.of("a", "b"), new long[2][2], Double.NaN, 0);
        assertThat(empty.accuracy()).isNaN();
        assertThat(empty.macroF1()).isNaN();
    }
}
