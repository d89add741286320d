package io.foldwise.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foldwise.store.Json;
import java.util.Optional;

/**
 * metrics.json of a train run: the final network on its training and validation splits, the L2
 * term of its objective and the training time.
 *
 * @param train          the training originals (with augmentation, the distorted copies are left out so that
 *                       J_train compares with J_cv)
 * @param trainAugmented every row trained on, originals and copies, when training was augmented
 * @param penalty        the L2 term of the final objective (the training objective is J_train + penalty)
 * @param stop           the epoch training stopped at and the epoch it kept (early stopping)
 */
public record TrainMetrics(Evaluation train, Optional<Evaluation> trainAugmented, Optional<Evaluation> validation,
                           double penalty, double seconds, StopPoint stop) {
    public static final String TRAIN = "train";
    public static final String TRAIN_AUGMENTED = "trainAugmented";
    public static final String VALIDATION = "validation";
    public static final String PENALTY = "penalty";
    public static final String TRAIN_LOSS_WITH_PENALTY = "trainLossWithPenalty";
    public static final String SECONDS = "seconds";

    /** The metrics of a trained model. */
    public static TrainMetrics of(TrainedModel model) {
        return new TrainMetrics(model.train(), model.trainAugmented(), Optional.ofNullable(model.validation()),
                model.penalty(), model.seconds(), StopPoint.of(model));
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.set(TRAIN, train.toJson());
        trainAugmented.ifPresent(a -> n.set(TRAIN_AUGMENTED, a.toJson()));
        validation.ifPresent(v -> n.set(VALIDATION, v.toJson()));
        n.put(PENALTY, penalty);
        // Derived, for people reading the file: what the optimiser minimised at the end.
        n.put(TRAIN_LOSS_WITH_PENALTY, train.dataLoss() + penalty);
        n.put(SECONDS, seconds);
        stop.writeTo(n);
        return n;
    }

    /** Reads what {@link #toJson} writes. */
    public static TrainMetrics fromJson(JsonNode n) {
        return new TrainMetrics(Evaluation.fromJson(n.path(TRAIN)), optional(n, TRAIN_AUGMENTED),
                optional(n, VALIDATION),
                n.path(PENALTY).asDouble(Double.NaN), n.path(SECONDS).asDouble(Double.NaN), StopPoint.readFrom(n));
    }

    private static Optional<Evaluation> optional(JsonNode n, String key) {
        return n.path(key).isObject() ? Optional.of(Evaluation.fromJson(n.path(key))) : Optional.empty();
    }
}
