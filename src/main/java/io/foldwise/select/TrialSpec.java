package io.foldwise.select;

import java.util.Locale;

/**
 * One unit of sweep work: a grid point trained on one fold's training part (or a fraction of it),
 * in one repeat of k-fold cross-validation.
 */
public record TrialSpec(GridPoint point, int repeat, int fold, double fraction) {
    /** A trial of the first (or only) repeat. */
    public TrialSpec(GridPoint point, int fold, double fraction) {
        this(point, 0, fold, fraction);
    }

    public TrialId id() {
        return new TrialId(point.id(), repeat, fold, fraction);
    }

    /** "l2=0.001 architecture=mlp[64]/relu, fold 2, 25%" — for progress lines. */
    public String describe() {
        return point.label() + (repeat > 0 ? ", repeat " + repeat : "") + ", fold " + fold
                + (fraction < 1 ? String.format(Locale.ROOT, ", %.0f%%", fraction * 100) : "");
    }
}
