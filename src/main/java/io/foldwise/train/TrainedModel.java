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
 * @param stoppedEpoch   the last epoch trained (below {@code train.epochs} when early stopping stopped it)
 * @param bestEpoch      the epoch whose parameters the network holds (and the final metrics measure)
 */
public record TrainedModel(MultiLayerNetwork network, List<EpochStats> curve, Evaluation train,
                           Evaluation validation, double penalty, double seconds,
                           Optional<Evaluation> trainAugmented, int stoppedEpoch, int bestEpoch) {
    public TrainedModel {
        curve = List.copyOf(curve);
    }

    /**
     * The model of a finished fit: the curve (its best epoch marked) and the final measurements of
     * the kept parameters.
     */
    static TrainedModel of(MultiLayerNetwork network, List<EpochStats> curve, EpochEvaluation last,
                           List<String> labels, double penalty, double seconds, int bestEpoch) {
        Evaluation validation = last.validation.count > 0 ? last.validation.toEvaluation(labels) : null;
        Optional<Evaluation> all = last.trainAll.count > last.train.count
                ? Optional.of(last.trainAll.toEvaluation(labels)) : Optional.empty();
        return new TrainedModel(network, EpochStats.markBest(curve, bestEpoch), last.train.toEvaluation(labels),
                validation, penalty, seconds, all, curve.isEmpty() ? 0 : curve.get(curve.size() - 1).epoch(),
                bestEpoch);
    }
}
