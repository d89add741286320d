package io.foldwise.job;

import io.foldwise.select.Selection;
import io.foldwise.select.TrialResult;
import io.foldwise.train.Evaluation;

/**
 * Callbacks at the milestones of a {@link SweepJob}, in the order they happen, for a caller that
 * wants to observe the sweep from outside. The progress lines do not come through here: the job
 * writes them itself ({@link TrialProgress}), whatever listener it is given. The command line passes
 * {@link #NONE}; tests listen, for instance to check that the test set is read only once and only
 * after selection and the refit. Every method does nothing unless overridden.
 */
public interface SweepListener {
    /**
     * A trial (grid or learning-curve) is done: trained now, or {@code resumed} from its committed
     * directory in an earlier run. May be called from several threads, one call at a time.
     */
    default void trialFinished(TrialResult result, boolean resumed) {
    }

    /** The grid point has been chosen by mean cross-validation metric, before any learning-curve trial. */
    default void selected(Selection selection) {
    }

    /** The chosen point has been refit on all training data, just before the test set is read. */
    default void refitFinished() {
    }

    /** The test set is about to be read, for the first and only time. */
    default void testSetRead() {
    }

    /** The refit model's one evaluation on the test set. */
    default void tested(Evaluation evaluation) {
    }

    /** Listens to nothing. */
    SweepListener NONE = new SweepListener() {
    };
}
