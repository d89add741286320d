package io.foldwise.select;

import io.foldwise.config.SweepConfig;
import io.foldwise.config.TrainConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One unit of sweep work: a grid point trained on one fold's training part (or a fraction of it),
 * in one repeat of k-fold cross-validation, for its own epochs or a successive-halving rung's
 * budget ({@code epochs} > 0).
 */
public record TrialSpec(GridPoint point, int repeat, int fold, double fraction, int epochs) {
    /** A trial of the first (or only) repeat. */
    public TrialSpec(GridPoint point, int fold, double fraction) {
        this(point, 0, fold, fraction, 0);
    }

    /** A trial with the point's own epochs. */
    public TrialSpec(GridPoint point, int repeat, int fold, double fraction) {
        this(point, repeat, fold, fraction, 0);
    }

    /**
     * The full schedule's cross-validation trials: every point on every fold of every repeat, at its
     * own epochs (successive halving plans its rungs with {@link Halving.Plan}).
     */
    public static List<TrialSpec> crossValidation(List<GridPoint> points, SweepConfig sweep) {
        List<TrialSpec> specs = new ArrayList<>();
        for (GridPoint p : points) {
            for (int r = 0; r < sweep.repeats(); r++) {
                for (int f = 0; f < sweep.folds(); f++) {
                    specs.add(new TrialSpec(p, r, f, 1.0));
                }
            }
        }
        return specs;
    }

    /**
     * The learning-curve trials of {@code points}: each fraction on every fold of repeat 0 (trials at
     * fraction 1 are cross-validation's own and are not trained again).
     */
    public static List<TrialSpec> learningCurve(List<GridPoint> points, List<Double> fractions, int k) {
        List<TrialSpec> specs = new ArrayList<>();
        for (GridPoint p : points) {
            for (double fraction : fractions) {
                for (int f = 0; f < k; f++) {
                    specs.add(new TrialSpec(p, f, fraction));
                }
            }
        }
        return specs;
    }

    public TrialId id() {
        return new TrialId(point.id(), repeat, fold, fraction, epochs);
    }

    /** What this trial trains: the point's train config, for the rung's epoch budget when it has one. */
    public TrainConfig train() {
        return epochs > 0 ? point.train().withEpochs(epochs, point.train().earlyStopping()) : point.train();
    }

    /** "l2=0.001 architecture=mlp[64]/relu, fold 2, 25%" — for progress lines. */
    public String describe() {
        return point.label() + (repeat > 0 ? ", repeat " + repeat : "") + ", fold " + fold
                + (epochs > 0 ? ", " + epochs + " epoch(s)" : "")
                + (fraction < 1 ? String.format(Locale.ROOT, ", %.0f%%", fraction * 100) : "");
    }
}
