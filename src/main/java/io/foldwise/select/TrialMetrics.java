package io.foldwise.select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foldwise.train.Evaluation;
import io.foldwise.train.StopPoint;
import java.util.Optional;

/**
 * A completed trial's metrics.json: the {@link TrialResult} selection uses, at the top level, and
 * the full evaluations behind it.
 *
 * @param train          evaluation on the images trained on (the originals, when the point augments)
 * @param trainAugmented evaluation on every row trained on, originals and augmented copies, when
 *                       the point augments
 * @param validation     evaluation on the validation fold
 * @param seconds        training time
 * @param stop           the epoch training stopped at and the epoch it kept (early stopping); 0 for
 *                       files written before they were recorded
 */
public record TrialMetrics(TrialResult result, Evaluation train, Optional<Evaluation> trainAugmented,
                           Evaluation validation, double seconds, StopPoint stop) {
    public static final String TRAIN = "train";
    public static final String TRAIN_AUGMENTED = "trainAugmented";
    public static final String VALIDATION = "validation";
    public static final String SECONDS = "seconds";

    public ObjectNode toJson() {
        ObjectNode n = result.toJson();
        n.set(TRAIN, train.toJson());
        trainAugmented.ifPresent(e -> n.set(TRAIN_AUGMENTED, e.toJson()));
        n.set(VALIDATION, validation.toJson());
        n.put(SECONDS, seconds);
        stop.writeTo(n);
        return n;
    }

    /** Reads what {@link #toJson} writes. */
    public static TrialMetrics fromJson(JsonNode n) {
        return new TrialMetrics(TrialResult.fromJson(n), Evaluation.fromJson(n.path(TRAIN)),
                n.has(TRAIN_AUGMENTED) ? Optional.of(Evaluation.fromJson(n.path(TRAIN_AUGMENTED))) : Optional.empty(),
                Evaluation.fromJson(n.path(VALIDATION)), n.path(SECONDS).asDouble(Double.NaN), StopPoint.readFrom(n));
    }
}
