package io.foldwise.config;

import java.util.Locale;

/**
 * {@code sweep.threshold}: how a two-class sweep chooses the decision threshold on the positive
 * class's probability from the out-of-fold precision/recall curve.
 *
 * @param optimise f1: the threshold with the highest F1; precision: the highest recall among
 *                 thresholds whose precision is at least {@code min}; recall: the highest precision
 *                 among thresholds whose recall is at least {@code min}
 * @param min      the minimum precision or recall (ignored for f1), in [0, 1]
 */
public record ThresholdConfig(Goal optimise, double min) {
    /** What the threshold optimises. */
    public enum Goal {
        F1, PRECISION, RECALL;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Maximise F1. */
    public static final ThresholdConfig F1 = new ThresholdConfig(Goal.F1, 0);

    public ThresholdConfig {
        Problems p = new Problems();
        p.check(optimise != null, "sweep.threshold.optimise", "be one of f1 | precision | recall", "nothing");
        p.check(min >= 0 && min <= 1, "sweep.threshold.min", "be in [0, 1]", min);
        p.throwIfAny();
    }
}
