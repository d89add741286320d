package io.foldwise.train;

import io.foldwise.config.ImageShape;
import io.foldwise.config.TrainConfig;
import io.foldwise.model.NetworkFactory;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;

/**
 * How many parameter-averaging workers a fit uses: {@code train.workers} when set, otherwise one,
 * unless an averaging round would hold enough compute to hide its cost. Decided from the config
 * and the data only, never from the cluster, so a resumed run or a larger cluster trains the same
 * network the same way.
 *
 * @param workers the workers chosen
 * @param reason  why, for the log
 */
public record WorkerRule(int workers, String reason) {
    /** Estimated compute per core, FLOP/s (measured: 16-34 GFLOP/s in DL4J's matrix multiplies). */
    static final double FLOPS_PER_SECOND = 10e9;
    /** Compute an averaging round must hold so that its ~0.4 s Spark job costs under 10%. */
    static final double MIN_ROUND_SECONDS = 4;
    /** The most workers the rule picks on its own; set train.workers for more. */
    static final int MAX_AUTO_WORKERS = 4;

    /** The rule for {@code train} on {@code examples} training rows. */
    public static WorkerRule of(TrainConfig train, ImageShape shape, int numClasses, long examples) {
        if (train.workers() > 0) {
            return new WorkerRule(train.workers(), "train.workers = " + train.workers());
        }
        double roundSeconds = 6.0 * multiplyAdds(train, shape, numClasses) * train.batchSize()
                * train.averagingFrequency() / FLOPS_PER_SECOND;
        if (roundSeconds < MIN_ROUND_SECONDS) {
            return new WorkerRule(1, String.format(Locale.ROOT, "an averaging round of %d minibatches would "
                    + "hold about %.2f s of compute, under the %.0f s that hides its cost: one worker, trained "
                    + "inside one Spark task", train.averagingFrequency(), roundSeconds, MIN_ROUND_SECONDS));
        }
        long minibatches = Math.max(1, examples / train.batchSize());
        int w = (int) Math.max(1, Math.min(MAX_AUTO_WORKERS, minibatches / (2L * train.averagingFrequency())));
        return new WorkerRule(w, String.format(Locale.ROOT, "an averaging round holds about %.1f s of "
                + "compute: %d worker(s) for %d minibatches per epoch", roundSeconds, w, minibatches));
    }

    /**
     * Multiply-adds of one example's forward pass: weights times the positions they apply at
     * (1 for dense layers, the output map's area for convolutions).
     */
    static double multiplyAdds(TrainConfig train, ImageShape shape, int numClasses) {
        MultiLayerConfiguration conf = NetworkFactory.configuration(train, shape, numClasses);
        List<InputType> types = conf.getLayerActivationTypes(
                train.architecture() instanceof io.foldwise.config.CnnSpec
                        ? InputType.convolutionalFlat(shape.height(), shape.width(), shape.channels())
                        : InputType.feedForward(shape.size()));
        double total = 0;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            var layer = conf.getConf(i).getLayer();
            if (!(layer instanceof FeedForwardLayer ff)) {
                continue;
            }
            double weights;
            double positions = 1;
            if (layer instanceof ConvolutionLayer conv) {
                weights = (double) ff.getNIn() * ff.getNOut() * conv.getKernelSize()[0] * conv.getKernelSize()[1];
                InputType out = types.get(i);
                if (out instanceof InputType.InputTypeConvolutional c) {
                    positions = (double) c.getHeight() * c.getWidth();
                }
            } else {
                weights = (double) ff.getNIn() * ff.getNOut();
            }
            total += weights * positions;
        }
        return total;
    }
}
