package io.foldwise.train;

import java.util.List;
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
 */
public record TrainedModel(MultiLayerNetwork network, List<EpochStats> curve, Evaluation train,
                           Evaluation validation, double penalty, double seconds) {
    public TrainedModel {
        curve = List.copyOf(curve);
    }
}
