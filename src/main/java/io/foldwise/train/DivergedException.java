package io.foldwise.train;

import io.foldwise.FoldwiseException;
import java.util.List;

/** Training produced a NaN or infinite loss. Carries the curve up to that epoch so it can be saved. */
public final class DivergedException extends FoldwiseException {
    private final transient List<EpochStats> curve;

    public DivergedException(int epoch, double loss, double learningRate, List<EpochStats> curve) {
        super(RUNTIME, "training diverged at epoch " + epoch + " (training data loss " + loss
                + ", see train.divergenceFactor); lower train.learningRate (now " + learningRate + ")");
        this.curve = List.copyOf(curve);
    }

    public List<EpochStats> curve() {
        return curve;
    }
}
