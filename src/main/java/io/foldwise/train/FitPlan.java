package io.foldwise.train;

import io.foldwise.train.Shards.ShardSet;
import java.io.Serializable;
import java.util.List;

/**
 * What one fit trains, on what, and how it measures itself: everything a trainer needs, small
 * and serializable so that it can travel to the Spark task that trains.
 *
 * @param network          the network's configuration (DL4J JSON), built on the driver
 * @param numClasses       classes of the output layer
 * @param train            shard groups trained on, restricted to the stratified subsample of
 *                         {@code fraction} ({@link Shards.Record#inSubsample})
 * @param validation       shard groups validated on every epoch (originals); null for none
 * @param trainSample      images J_train is measured on after each epoch but the last (0 = all)
 * @param shuffleBuffer    capacity of the per-epoch shuffle buffer, in images
 * @param patience         early stopping: epochs without a J_cv improvement before stopping (0 = off)
 * @param minDelta         early stopping: the least fall of J_cv that counts as an improvement
 */
// A nullable field rather than Optional: the plan is serialized to the task, Optional is not serializable.
public record FitPlan(String network, int numClasses, int batchSize, int epochs, long seed, double divergenceFactor,
                      Part train, double fraction, Part validation, int trainSample, int shuffleBuffer,
                      int patience, double minDelta) implements Serializable {

    /** Some groups of a shard set. */
    public record Part(ShardSet shards, List<Integer> groups) implements Serializable {
        public Part {
            groups = List.copyOf(groups);
        }
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
