package io.foldwise.job;

import io.foldwise.Progress;
import io.foldwise.config.ClassMap;
import io.foldwise.config.ClassWeights;
import io.foldwise.config.ImageShape;
import io.foldwise.config.TrainConfig;
import io.foldwise.model.NetworkFactory;
import io.foldwise.store.ModelFiles;
import io.foldwise.store.ModelLabels;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import io.foldwise.train.DivergedException;
import io.foldwise.train.EpochStats;
import io.foldwise.train.FitPlan;
import io.foldwise.train.SparkTrainer;
import io.foldwise.train.TaskTrainer;
import io.foldwise.train.TrainedModel;
import io.foldwise.train.WorkerRule;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The one way Foldwise trains a network and writes what every fit writes, shared by sweep trials,
 * the refit and the train command: the worker rule, the trainer it picks (one worker inside one
 * Spark task, or DL4J parameter averaging), where the network starts ({@link Transfers}: from
 * scratch, or a saved model's layers with some frozen), and the curve (also when training diverged) and,
 * when asked, the model. Callers add their own records (params, metrics).
 */
final class Fitter {
    private final JavaSparkContext sc;
    private final Storage storage;
    private final ImageShape shape;
    private final List<String> labels;
    private final Transfers transfers;
    private final ClassMap classes;
    /** Training images per class (label order), for train.classWeights = balanced; null if not known. */
    private final long[] classCounts;

    /** A fitter whose networks all start from scratch. */
    Fitter(JavaSparkContext sc, Storage storage, ImageShape shape, List<String> labels, ClassMap classes) {
        this(sc, storage, shape, labels, classes, Transfers.none(shape));
    }

    /** A fitter whose networks start where {@code transfers} says (from scratch or a saved model). */
    Fitter(JavaSparkContext sc, Storage storage, ImageShape shape, List<String> labels, ClassMap classes,
           Transfers transfers) {
        this(sc, storage, shape, labels, classes, transfers, null);
    }

    private Fitter(JavaSparkContext sc, Storage storage, ImageShape shape, List<String> labels, ClassMap classes,
                   Transfers transfers, long[] classCounts) {
        this.sc = sc;
        this.storage = storage;
        this.shape = shape;
        this.labels = labels;
        this.transfers = transfers;
        this.classes = classes;
        this.classCounts = classCounts;
    }

    /** The same fitter, with the training data's class counts that balanced class weights are computed from. */
    Fitter withClassCounts(java.util.Map<String, Long> counts) {
        return new Fitter(sc, storage, shape, labels, classes, transfers, labels.stream()
                .mapToLong(l -> counts.getOrDefault(l, 0L)).toArray());
    }

    /** The loss's class weights for {@code train}: balanced ones for more than two classes, else none. */
    private double[] classWeights(TrainConfig train) {
        if (train.classWeights() != ClassWeights.BALANCED || labels.size() <= 2) {
            return null;
        }
        if (classCounts == null) {
            throw new IllegalStateException("train.classWeights = balanced needs the class counts: "
                    + "build the Fitter withClassCounts");
        }
        return NetworkFactory.balancedWeights(classCounts);
    }

    /**
     * What one fit trains on: shard groups, a subsample fraction, and how many rows that is, about;
     * and where its validation predictions go (null: not written) with the fold they are of.
     */
    record Data(FitPlan.Part train, double fraction, FitPlan.Part validation, long rows, Path predictionsCsv,
                int fold) {
        Data(FitPlan.Part train, double fraction, FitPlan.Part validation, long rows) {
            this(train, fraction, validation, rows, null, -1);
        }

        /** The same data, its validation predictions written to {@code csv} as fold {@code fold}. */
        Data withPredictions(Path csv, int fold) {
            return new Data(train, fraction, validation, rows, csv, fold);
        }
    }

    /**
     * Trains {@code train} on {@code data}, then writes its per-epoch curve to {@code curveCsv} and,
     * when {@code modelDir} is given, the model and its labels there.
     *
     * @param name      the fit's name, unique in the run (DL4J export directory)
     * @param exportDir where parameter averaging exports minibatches (more than one worker)
     * @param checkpointDir where a one-worker fit checkpoints every {@code train.checkpointEvery} epochs and
     *                  continues from; the caller deletes it once the fit's results are committed
     *                  (fits with more workers restart from epoch 1)
     * @param log       whether to say in the progress lines how many workers and why
     * @throws DivergedException after writing the curve up to the diverged epoch
     */
    TrainedModel fit(String name, TrainConfig train, Data data, Path curveCsv, Optional<RunLayout> modelDir, Path exportDir,
                     Path checkpointDir, boolean log, Consumer<EpochStats> onEpoch) {
        WorkerRule rule = WorkerRule.of(transfers.resolve(train), shape, labels.size(),
                Math.round(data.rows() * data.fraction()));
        if (log) {
            Progress.line("%s: %d worker(s): %s", name, rule.workers(), rule.reason());
        }
        Transfers.Start start = transfers.start(train, labels.size(), classWeights(train));
        FitPlan plan = new FitPlan(start.network(), start.params(), labels.size(),
                train.batchSize(), train.epochs(), train.seed(), train.divergenceFactor(), data.train(),
                data.fraction(), data.validation(), train.trainSample(), train.shuffleBuffer(),
                storage.qualify(checkpointDir).toString(), train.checkpointEvery(), train.earlyStopping().patience(),
                train.earlyStopping().minDelta(), data.predictionsCsv() == null ? null : new FitPlan.PredictionsOut(
                        storage.qualify(data.predictionsCsv()).toString(), data.fold(), labels));
        TrainedModel model;
        try {
            model = rule.workers() == 1
                    ? TaskTrainer.fit(sc, plan, labels, train.learningRate(), onEpoch)
                    : SparkTrainer.fit(sc, plan, rule.workers(), train.averagingFrequency(), exportDir, labels,
                            train.learningRate(), onEpoch);
        } catch (DivergedException e) {
            storage.writeString(curveCsv, EpochStats.toCsv(e.curve()));
            throw e;
        }
        storage.writeString(curveCsv, EpochStats.toCsv(model.curve()));
        modelDir.ifPresent(dir -> ModelFiles.write(storage, dir, model.network(), new ModelLabels(labels, classes)));
        return model;
    }
}
