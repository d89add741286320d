package io.foldwise.config;

/** How candidates are trained ({@code sweep.schedule}). */
public enum Schedule {
    /** Every candidate on every fold for {@code train.epochs}. */
    FULL,
    /** Successive halving over folds and epochs ({@link HalvingConfig}). */
    HALVING
}
