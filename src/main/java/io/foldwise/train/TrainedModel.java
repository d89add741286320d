package io.foldwise.train;

import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * What one training job produced.
 *
 * @param network       the trained network (owned by the caller; not thread-safe)
 * @param curve         one row per epoch
 * @param train         final metrics on the training data
 * @param validation    final metrics on the validation data, or null when there was none
 * @param penalty       the L2 term of the final loss (J_train with penalty = train.dataLoss + penalty)
 * @param seconds       wall time of the whole job
 * @param trainAugmented final metrics on every row trained on, originals and augmented copies, when
 *                       training was augmented ({@code train} then covers the originals only)
 */
public record TrainedModel(MultiLayerNetwork network, List<EpochStats> curve, Evaluation train,
                           Evaluation validation, double penalty, double seconds,
                           Optional<Evaluation> trainAugmented) {
    public TrainedModel {
        curve = List.copyOf(curve);
    }

    /** The model of a finished fit, with the last epoch's measurements. */
    static TrainedModel of(MultiLayerNetwork network, List<EpochStats> curve, EpochEvaluation last,
                           List<String> labels, double penalty, double seconds) {
        Evaluation validation = last.validation.count > 0 ? last.validation.toEvaluation(labels) : null;
        Optional<Evaluation> all = last.trainAll.count > last.train.count
                ? Optional.of(last.trainAll.toEvaluation(labels)) : Optional.empty();
        return new TrainedModel(network, curve, last.train.toEvaluation(labels), validation, penalty, seconds, all);
    }
}
