package io.foldwise.select;

import java.util.Locale;

/** One unit of sweep work: a grid point trained on one fold's training part (or a fraction of it). */
public record TrialSpec(GridPoint point, int fold, double fraction) {
    public TrialId id() {
        return new TrialId(point.id(), fold, fraction);
    }

    /** "l2=0.001 architecture=mlp[64]/relu, fold 2, 25%" — for progress lines. */
    public String describe() {
        return point.label() + ", fold " + fold + (fraction < 1 ? String.format(Locale.ROOT, ", %.0f%%",
                fraction * 100) : "");
    }
}
