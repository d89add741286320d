package io.foldwise.job;

import io.foldwise.select.Selection;
import io.foldwise.select.TrialResult;
import io.foldwise.train.Evaluation;

/**
 * Milestones of a sweep, in the order they happen. Progress lines and tests (which check, for
 * instance, that the test set is read only after selection and refit) listen here.
 */
public interface SweepListener {
    default void trialFinished(TrialResult result, boolean resumed) {
    }

    default void selected(Selection selection) {
    }

    default void refitFinished() {
    }

    /** The test set is about to be read, for the first and only time. */
    default void testSetRead() {
    }

    default void tested(Evaluation evaluation) {
    }

    SweepListener NONE = new SweepListener() {
    };
}
