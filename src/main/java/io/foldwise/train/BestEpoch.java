package io.foldwise.train;

/**
 * Early stopping's bookkeeping, shared by both trainers: the best J_cv so far, its epoch, and
 * whether training should stop. An epoch is the new best when its J_cv is below the best by more
 * than {@code minDelta}; training stops after {@code patience} epochs in a row without one. Without
 * patience (0) or without a validation set (NaN J_cv) the last epoch counts as the best and
 * training never stops early.
 */
final class BestEpoch {
    private final int patience;
    private final double minDelta;
    private double best = Double.POSITIVE_INFINITY;
    private int bestEpoch;
    private int lastEpoch;
    private int since;

    BestEpoch(int patience, double minDelta) {
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /** Records epoch {@code epoch}'s J_cv; true when it is the new best (whose parameters to keep). */
    boolean record(int epoch, double jCv) {
        lastEpoch = epoch;
        if (patience <= 0 || !Double.isFinite(jCv)) {
            bestEpoch = epoch;
            return true;
        }
        if (bestEpoch == 0 || jCv < best - minDelta) {
            best = jCv;
            bestEpoch = epoch;
            since = 0;
            return true;
        }
        since++;
        return false;
    }

    /** True when {@code patience} epochs in a row brought no improvement. */
    boolean stop() {
        return patience > 0 && since >= patience;
    }

    /** The epoch whose parameters the fit returns. */
    int bestEpoch() {
        return bestEpoch;
    }

    /** True when the network's current parameters are not the best epoch's and must be restored. */
    boolean mustRestore() {
        return bestEpoch != lastEpoch;
    }
}
