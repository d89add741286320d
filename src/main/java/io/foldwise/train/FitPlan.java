package io.foldwise.train;

import io.foldwise.train.Shards.ShardSet;
import java.io.Serializable;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What one fit trains, on what, and how it measures itself: everything a trainer needs, small
 * and serializable so that it can travel to the Spark task that trains.
 *
 * @param network          the network's configuration (DL4J JSON), built on the driver; a transferred
 *                         network's includes its {@code FrozenLayer} wrappers
 * @param initialParams    the parameters training starts from (a transferred network's: the source's
 *                         layers and a new output layer), flat in DL4J's order; null = DL4J's random
 *                         initialisation from the configuration's seed
 * @param numClasses       classes of the output layer
 * @param train            shard groups trained on, restricted to the stratified subsample of
 *                         {@code fraction} ({@link Shards.Record#inSubsample})
 * @param validation       shard groups validated on every epoch (originals); null for none
 * @param trainSample      images J_train is measured on after each epoch but the last (0 = all)
 * @param shuffleBuffer    capacity of the per-epoch shuffle buffer, in images
 * @param checkpointDir    qualified directory the fit checkpoints into ({@link Checkpoint}); null = none
 * @param checkpointEvery  epochs between checkpoints; 0 = none
 * @param patience         early stopping: epochs without a J_cv improvement before stopping (0 = off)
 * @param minDelta         early stopping: the least fall of J_cv that counts as an improvement
 * @param predictions      where to write the validation records' predictions at the end (from the
 *                         parameters the fit keeps); null for nowhere
 */
// Nullable fields rather than Optional: the plan is serialized to the task, Optional is not serializable.
public record FitPlan(String network, float[] initialParams, int numClasses, int batchSize, int epochs, long seed,
                      double divergenceFactor, Part train, double fraction, Part validation, int trainSample,
                      int shuffleBuffer, String checkpointDir, int checkpointEvery, int patience, double minDelta,
                      PredictionsOut predictions) implements Serializable {

    /**
     * Where and how a fit writes its validation predictions ({@link ValidationPredictions}).
     *
     * @param file   the CSV file (a Hadoop path URI), written by the task that holds the model
     * @param fold   the fold number written in every row
     * @param labels class names, one per output
     */
    public record PredictionsOut(String file, int fold, List<String> labels) implements Serializable {
        public PredictionsOut {
            labels = List.copyOf(labels);
        }
    }

    /**
     * What the fit computes, less where it writes: no checkpoints and no predictions file (a trial's
     * staging directory, hence that file's path, differs on every attempt).
     */
    public FitPlan withoutOutputs() {
        return new FitPlan(network, initialParams, numClasses, batchSize, epochs, seed, divergenceFactor, train,
                fraction, validation, trainSample, shuffleBuffer, null, 0, patience, minDelta, null);
    }

    /** This plan checkpointing into {@code dir} every {@code every} epochs. */
    public FitPlan withCheckpoints(String dir, int every) {
        return new FitPlan(network, initialParams, numClasses, batchSize, epochs, seed, divergenceFactor, train,
                fraction, validation, trainSample, shuffleBuffer, dir, every, patience, minDelta, predictions);
    }

    /** Some groups of a shard set. */
    public record Part(ShardSet shards, List<Integer> groups) implements Serializable {
        public Part {
            groups = List.copyOf(groups);
        }
    }

    /** A new network of this plan, initialised from {@link #initialParams} or, without them, at random. */
    MultiLayerNetwork newNetwork() {
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(network));
        if (initialParams == null) {
            net.init();
        } else {
            net.init(Nd4j.create(initialParams, new long[] {1, initialParams.length}, 'c'), false);
        }
        return net;
    }

    /** A fresh early-stopping tracker for this plan. */
    BestEpoch bestEpoch() {
        return new BestEpoch(patience, minDelta);
    }

    /** Values per image. */
    int inputSize() {
        return train.shards().shape().size();
    }
}
