package io.foldwise.config;

import java.util.Locale;

/** The cross-validation metric a sweep selects by, and which way is better. */
public enum SelectionMetric {
    /** Mean validation accuracy (1 − cross-validation error); higher is better. */
    ACCURACY(true),
    /** Mean validation macro F1 (unweighted mean of per-class F1); higher is better. */
    F1_MACRO(true),
    /** Mean validation data loss J_cv (without the L2 term); lower is better. */
    LOSS(false);

    private final boolean higherIsBetter;

    SelectionMetric(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    /** True for accuracy and f1_macro, false for loss. */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The name used in config and in file headers: {@code accuracy}, {@code f1_macro}, {@code loss}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True if {@code a} is strictly better than {@code b} in this metric's direction. */
    public boolean better(double a, double b) {
        return higherIsBetter ? a > b : a < b;
    }
}
