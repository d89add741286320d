package io.foldwise.select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foldwise.config.SelectionMetric;
import io.foldwise.store.Json;
import java.util.Optional;

/**
 * What one trial measured. Losses are data losses (cross-entropy, without the L2 term); errors
 * are 1 − accuracy. A failed trial keeps its failure message and NaN metrics; it is counted but
 * left out of every mean. A trial whose metrics are not all finite counts as failed too.
 *
 * @param pointId    the grid point's id
 * @param repeat     the repeat of k-fold cross-validation (0 for the first or only one)
 * @param fold       the validation fold
 * @param fraction   the fraction of the fold's training part trained on (1 for the sweep itself)
 * @param epochs     a successive-halving rung's epoch budget; 0 = the point's own train.epochs
 * @param trainSize  images trained on
 * @param jTrain     data loss on the images trained on
 * @param jCv        data loss on the validation fold
 * @param trainError 1 − accuracy on the images trained on
 * @param cvError    1 − accuracy on the validation fold
 * @param cvAccuracy accuracy on the validation fold
 * @param cvF1Macro  macro F1 on the validation fold
 * @param cvF1Positive two classes: the positive class's F1 at threshold 0.5 on the validation fold (else NaN)
 * @param cvAucPr      two classes: area under the validation fold's precision/recall curve (else NaN)
 * @param failure    why the trial failed; empty if it completed
 */
public record TrialResult(String pointId, int repeat, int fold, double fraction, int epochs, long trainSize, double jTrain, double jCv,
                          double trainError, double cvError, double cvAccuracy, double cvF1Macro,
                          double cvF1Positive, double cvAucPr, Optional<String> failure) {
    public static final String POINT_ID = "pointId";
    public static final String REPEAT = "repeat";
    public static final String FOLD = "fold";
    public static final String EPOCH_BUDGET = "epochBudget";
    public static final String FRACTION = "fraction";
    public static final String TRAIN_SIZE = "trainSize";
    public static final String J_TRAIN = "jTrain";
    public static final String J_CV = "jCv";
    public static final String TRAIN_ERROR = "trainError";
    public static final String CV_ERROR = "cvError";
    public static final String CV_ACCURACY = "cvAccuracy";
    public static final String CV_F1_MACRO = "cvF1Macro";
    public static final String CV_F1_POSITIVE = "cvF1Positive";
    public static final String CV_AUC_PR = "cvAucPr";

    public TrialResult {
        new TrialId(pointId, repeat, fold, fraction, epochs); // validates the identity
        failure = failure.map(f -> f.isBlank() ? "failed (no message)" : f);
    }

    /** A completed trial. */
    public static TrialResult ok(String pointId, int fold, double fraction, long trainSize, double jTrain,
                                 double jCv, double trainError, double cvError, double cvAccuracy, double cvF1Macro) {
        return ok(pointId, 0, fold, fraction, trainSize, jTrain, jCv, trainError, cvError, cvAccuracy, cvF1Macro);
    }

    /** A completed trial of repeat {@code repeat}. */
    public static TrialResult ok(String pointId, int repeat, int fold, double fraction, long trainSize, double jTrain,
                                 double jCv, double trainError, double cvError, double cvAccuracy, double cvF1Macro) {
        return new TrialResult(pointId, repeat, fold, fraction, 0, trainSize, jTrain, jCv, trainError, cvError, cvAccuracy,
                cvF1Macro, Double.NaN, Double.NaN, Optional.empty());
    }

    /** The same result with the two-class metrics. */
    public TrialResult withTwoClass(double f1Positive, double aucPr) {
        return new TrialResult(pointId, repeat, fold, fraction, epochs, trainSize, jTrain, jCv, trainError, cvError,
                cvAccuracy, cvF1Macro, f1Positive, aucPr, failure);
    }

    /** A failed trial: NaN metrics and the failure message. */
    public static TrialResult failed(String pointId, int fold, double fraction, String message) {
        return failed(pointId, 0, fold, fraction, message);
    }

    /** A failed trial of repeat {@code repeat}. */
    public static TrialResult failed(String pointId, int repeat, int fold, double fraction, String message) {
        return new TrialResult(pointId, repeat, fold, fraction, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Optional.of(message == null ? "" : message));
    }

    /** The trial's stable id. */
    public TrialId trialId() {
        return new TrialId(pointId, repeat, fold, fraction, epochs);
    }

    /** True if the trial completed with finite metrics; only such trials enter means. */
    public boolean usable() {
        return failure.isEmpty() && Double.isFinite(jTrain) && Double.isFinite(jCv) && Double.isFinite(trainError)
                && Double.isFinite(cvError) && Double.isFinite(cvAccuracy) && Double.isFinite(cvF1Macro);
    }

    /** Why the trial is not usable, or empty if it is. */
    public Optional<String> problem() {
        if (failure.isPresent()) {
            return failure;
        }
        return usable() ? Optional.empty()
                : Optional.of("non-finite metrics (J_train " + jTrain + ", J_cv " + jCv + "): training diverged?");
    }

    /** This result as a rung's: with epoch budget {@code epochs} (0 = the point's own). */
    public TrialResult withEpochs(int epochs) {
        return new TrialResult(pointId, repeat, fold, fraction, epochs, trainSize, jTrain, jCv, trainError, cvError,
                cvAccuracy, cvF1Macro, cvF1Positive, cvAucPr, failure);
    }

    /** The validation value of {@code metric}: accuracy, macro F1, J_cv, the positive class's F1 or AUC-PR. */
    public double metric(SelectionMetric metric) {
        return switch (metric) {
            case ACCURACY -> cvAccuracy;
            case F1_MACRO -> cvF1Macro;
            case LOSS -> jCv;
            case F1 -> cvF1Positive;
            case AUC_PR -> cvAucPr;
        };
    }

    /** The top-level fields of a trial's metrics.json (the rest is {@link TrialMetrics}). */
    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put(POINT_ID, pointId);
        if (repeat > 0) {
            n.put(REPEAT, repeat);
        }
        n.put(FOLD, fold);
        if (epochs > 0) {
            n.put(EPOCH_BUDGET, epochs);
        }
        n.put(FRACTION, fraction);
        n.put(TRAIN_SIZE, trainSize);
        n.put(J_TRAIN, jTrain);
        n.put(J_CV, jCv);
        n.put(TRAIN_ERROR, trainError);
        n.put(CV_ERROR, cvError);
        n.put(CV_ACCURACY, cvAccuracy);
        n.put(CV_F1_MACRO, cvF1Macro);
        if (Double.isFinite(cvF1Positive)) {
            n.put(CV_F1_POSITIVE, cvF1Positive);
        }
        if (Double.isFinite(cvAucPr)) {
            n.put(CV_AUC_PR, cvAucPr);
        }
        return n;
    }

    /** Reads the fields {@link #toJson} writes (a stored result is a completed trial's); no repeat = 0. */
    public static TrialResult fromJson(JsonNode n) {
        return TrialResult.ok(n.path(POINT_ID).asText(), n.path(REPEAT).asInt(0), n.path(FOLD).asInt(), n.path(FRACTION).asDouble(),
                n.path(TRAIN_SIZE).asLong(), n.path(J_TRAIN).asDouble(), n.path(J_CV).asDouble(),
                n.path(TRAIN_ERROR).asDouble(), n.path(CV_ERROR).asDouble(), n.path(CV_ACCURACY).asDouble(),
                n.path(CV_F1_MACRO).asDouble()).withEpochs(n.path(EPOCH_BUDGET).asInt(0)).withTwoClass(
                n.has(CV_F1_POSITIVE) ? n.get(CV_F1_POSITIVE).asDouble() : Double.NaN,
                n.has(CV_AUC_PR) ? n.get(CV_AUC_PR).asDouble() : Double.NaN);
    }
}
