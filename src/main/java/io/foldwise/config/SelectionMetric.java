package io.foldwise.config;

import java.util.Locale;

/** The cross-validation metric a sweep selects by, and which way is better. */
public enum SelectionMetric {
    /** Mean validation accuracy (1 − cross-validation error); higher is better. */
    ACCURACY(true),
    /** Mean validation macro F1 (unweighted mean of per-class F1); higher is better. */
    F1_MACRO(true),
    /** Mean validation data loss J_cv (without the L2 term); lower is better. */
    LOSS(false),
    /** Two classes: mean validation F1 of the positive class at threshold 0.5; higher is better. */
    F1(true),
    /** Two classes: mean area under the validation precision/recall curve of the positive class; higher is better. */
    AUC_PR(true);

    /** Whether the metric is defined for two classes only. */
    public boolean twoClassOnly() {
        return this == F1 || this == AUC_PR;
    }

    private final boolean higherIsBetter;

    SelectionMetric(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    /** False for loss, true for the others. */
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
