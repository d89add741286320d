package io.foldwise.job;

import static org.apache.spark.sql.functions.col;

import io.foldwise.augment.Augmenter;
import io.foldwise.config.AugmentConfig;
import io.foldwise.config.ImageShape;
import io.foldwise.config.TrainConfig;
import io.foldwise.select.Fold;
import io.foldwise.select.FoldSplitter;
import io.foldwise.select.Splits;
import io.foldwise.select.StoredTrials;
import io.foldwise.select.TrialMetrics;
import io.foldwise.select.TrialParams;
import io.foldwise.select.TrialResult;
import io.foldwise.select.TrialSpec;
import io.foldwise.store.Json;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import io.foldwise.store.TrialStore;
import io.foldwise.train.DivergedException;
import io.foldwise.train.EpochStats;
import io.foldwise.train.Evaluation;
import io.foldwise.train.Evaluator;
import io.foldwise.train.SparkTrainer;
import io.foldwise.train.Tensorizer;
import io.foldwise.train.TrainedModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Trains one trial and commits its files: params.json, curve.csv, metrics.json, then _SUCCESS
 * last. With augmentation, J_train (metrics.json "train", and the trial's training size) is measured
 * on the original training images; "trainAugmented" holds the metrics on all rows trained on. A trial that fails is recorded (error.txt, no _SUCCESS) and returned as failed, so the
 * sweep goes on; a directory without _SUCCESS is never read as a result.
 */
final class TrialRunner {
    private final JavaSparkContext sc;
    private final Storage storage;
    private final RunLayout layout;
    private final Dataset<Row> assigned;
    private final int folds;
    private final long seed;
    private final ImageShape shape;
    private final List<String> labels;
    private final int workers;
    private final AugmentConfig augment;
    private final TrialStore trials;

    /**
     * @param assigned training images with their fold column (cached by the caller)
     * @param seed     the sweep's seed, for learning-curve subsamples
     * @param workers  parameter-averaging workers per trial
     * @param augment  how to augment the training rows of points that augment
     */
    TrialRunner(JavaSparkContext sc, Storage storage, RunLayout layout, Dataset<Row> assigned, int folds, long seed,
                ImageShape shape, List<String> labels, int workers, AugmentConfig augment) {
        this.sc = sc;
        this.storage = storage;
        this.layout = layout;
        this.assigned = assigned;
        this.folds = folds;
        this.seed = seed;
        this.shape = shape;
        this.labels = labels;
        this.workers = workers;
        this.augment = augment;
        this.trials = new TrialStore(storage, layout);
    }

    /** The committed result of a trial, if it has one (_SUCCESS present). */
    Optional<TrialResult> committed(TrialSpec spec) {
        return StoredTrials.committed(trials, spec.id());
    }

    /**
     * Trains the trial. Its files are written to a staging directory that is renamed into place at
     * the end, so trials/&lt;id&gt; is always complete (with _SUCCESS) or a recorded failure.
     */
    TrialResult run(TrialSpec spec) {
        RunLayout.TrialLayout dir = trials.stage(spec.id().value());
        try {
            return runIn(spec, dir);
        } finally {
            trials.commit(dir, spec.id().value());
        }
    }

    private TrialResult runIn(TrialSpec spec, RunLayout.TrialLayout dir) {
        storage.writeString(dir.paramsJson(), Json.render(TrialParams.of(spec).toJson()));
        TrainConfig train = spec.point().train();
        Fold fold = trialData(spec);
        JavaRDD<DataSet> trainBatches = batches(fold.train(), train);
        JavaRDD<DataSet> validationBatches = batches(fold.validation(), train);
        try {
            TrainedModel model = new SparkTrainer(sc).fit(train, shape, labels, trainBatches, validationBatches,
                    workers, layout.exportDir(spec.id().value(), train.exportDir()), e -> { });
            Evaluation trainEval = model.train();
            boolean augmented = Arrays.asList(fold.train().columns()).contains(Augmenter.COPY);
            if (augmented) {
                // J_train on the original training images: the distorted copies are harder than the data
                // J_cv is measured on, and the diagnosis compares like with like.
                trainEval = Evaluator.evaluate(sc, model.network(), Tensorizer.batches(
                        fold.train().where(col(Augmenter.COPY).equalTo(0)), shape, labels.size(), train.batchSize(),
                        workers, train.seed()), labels);
            }
            TrialResult result = TrialResult.ok(spec.point().id(), spec.fold(), spec.fraction(), trainEval.count(),
                    trainEval.dataLoss(), model.validation().dataLoss(), trainEval.error(),
                    model.validation().error(), model.validation().accuracy(), model.validation().macroF1());
            storage.writeString(dir.curveCsv(), EpochStats.toCsv(model.curve()));
            TrialMetrics metrics = new TrialMetrics(result, trainEval,
                    augmented ? Optional.of(model.train()) : Optional.empty(), model.validation(), model.seconds());
            storage.writeString(dir.metricsJson(), Json.render(metrics.toJson()));
            trials.markDone(dir);
            return result;
        } catch (DivergedException e) {
            storage.writeString(dir.curveCsv(), EpochStats.toCsv(e.curve()));
            return failed(spec, dir, e);
        } catch (RuntimeException | OutOfMemoryError e) {
            // A failure of this trial alone (bad values, OOM, a task failing for good): record it and go on.
            return failed(spec, dir, e);
        } finally {
            trainBatches.unpersist(false);
            validationBatches.unpersist(false);
        }
    }

    /**
     * What a trial trains and validates on. Training: the other folds' images, subsampled (originals
     * first) for a learning-curve trial, then augmented if the point augments. Validation: the fold's
     * original images, never augmented.
     */
    Fold trialData(TrialSpec spec) {
        Fold fold = FoldSplitter.fold(assigned, folds, spec.fold());
        Dataset<Row> trainRows = spec.fraction() < 1 ? Splits.subsample(fold.train(), spec.fraction(), seed)
                : fold.train();
        if (spec.point().augments(augment)) {
            trainRows = Augmenter.augment(trainRows, augment);
        }
        return new Fold(fold.index(), fold.k(), trainRows, fold.validation());
    }

    private TrialResult failed(TrialSpec spec, RunLayout.TrialLayout dir, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        storage.writeString(dir.errorTxt(), e.getMessage() + "\n\n" + trace);
        return TrialResult.failed(spec.point().id(), spec.fold(), spec.fraction(), String.valueOf(e.getMessage()));
    }

    private JavaRDD<DataSet> batches(Dataset<Row> rows, TrainConfig train) {
        return Tensorizer.batches(rows, shape, labels.size(), train.batchSize(), workers, train.seed())
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
    }
}
