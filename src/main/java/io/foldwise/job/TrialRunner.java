package io.foldwise.job;

import io.foldwise.TestPause;
import io.foldwise.config.AugmentConfig;
import io.foldwise.config.ThresholdConfig;
import io.foldwise.config.TrainConfig;
import io.foldwise.select.StoredTrials;
import io.foldwise.select.TrialMetrics;
import io.foldwise.select.TrialParams;
import io.foldwise.select.TrialResult;
import io.foldwise.select.TrialSpec;
import io.foldwise.store.Json;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import io.foldwise.store.StorageException;
import io.foldwise.store.TrialStore;
import io.foldwise.train.Evaluation;
import io.foldwise.train.StopPoint;
import io.foldwise.train.TrainedModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Trains one trial and commits its files: params.json, curve.csv, metrics.json, then _SUCCESS
 * last (see {@link TrialStore#commit}). With augmentation, J_train (metrics.json "train", and the trial's training size) is measured
 * on the original training images; "trainAugmented" holds the metrics on all rows trained on. A trial that fails is recorded (error.txt, no _SUCCESS) and returned as failed, so the
 * sweep goes on; a directory without _SUCCESS is never read as a result. A storage failure
 * ({@link StorageException}) is not the trial's: it is thrown and stops the sweep.
 */
final class TrialRunner {
    private final Storage storage;
    private final RunLayout layout;
    private final List<TrainingShards> shards;
    private final Fitter fitter;
    private final AugmentConfig augment;
    private final TrialStore trials;
    private final RunGuard guard;
    private final TestPause pause;

    /**
     * @param shards  the sweep's folds as shard groups, per repeat
     * @param augment how to augment the training rows of points that augment
     * @param guard   every commit passes it: none once the sweep was stopped
     */
    TrialRunner(Storage storage, RunLayout layout, List<TrainingShards> shards, Fitter fitter, AugmentConfig augment,
                RunGuard guard) {
        this(storage, layout, shards, fitter, augment, guard, TestPause.OFF);
    }

    /** @param pause the tests' fault-injection seam (stages trial, commit, between) */
    TrialRunner(Storage storage, RunLayout layout, List<TrainingShards> shards, Fitter fitter, AugmentConfig augment,
                RunGuard guard, TestPause pause) {
        this.pause = pause;
        this.guard = guard;
        this.storage = storage;
        this.layout = layout;
        this.shards = shards;
        this.fitter = fitter;
        this.augment = augment;
        this.trials = new TrialStore(storage, layout);
    }

    /** A runner of one repeat's folds (no repeated k-fold). */
    TrialRunner(Storage storage, RunLayout layout, TrainingShards shards, Fitter fitter, AugmentConfig augment,
                RunGuard guard) {
        this(storage, layout, List.of(shards), fitter, augment, guard);
    }

    /** The committed result of a trial, if it has one (_SUCCESS present). */
    Optional<TrialResult> committed(TrialSpec spec) {
        return StoredTrials.committed(trials, spec.id());
    }

    /**
     * Trains the trial. Its files are written to a staging directory that is renamed into place at
     * the end, so trials/&lt;id&gt; is complete (with _SUCCESS), a recorded failure, or incomplete
     * (never read as a result). An attempt that throws past {@link #runIn} leaves only staging.
     */
    TrialResult run(TrialSpec spec) {
        RunLayout.TrialLayout dir = trials.stage(spec.id().value());
        TrialResult result = runIn(spec, dir);
        guard.commit(() -> trials.commit(dir, spec.id().value(), result.failure().isEmpty(),
                () -> pause.at("commit")));
        pause.at("between");
        if (result.failure().isEmpty()) {
            // Committed: nothing will continue this fit any more. A failed one keeps its checkpoint.
            storage.delete(layout.checkpointDir(spec.id().value()));
        }
        return result;
    }

    private TrialResult runIn(TrialSpec spec, RunLayout.TrialLayout dir) {
        storage.writeString(dir.paramsJson(), Json.render(TrialParams.of(spec).toJson()));
        pause.at("trial");
        TrainConfig train = spec.train();
        try {
            // Every trial writes its fold's predictions: the chosen point is known only at the end.
            TrainedModel model = fitter.fit(spec.id().value(), train,
                    trialData(spec).withPredictions(dir.predictionsCsv(), spec.fold()), dir.curveCsv(),
                    Optional.empty(), layout.exportDir(spec.id().value(), train.exportDir()),
                    layout.checkpointDir(spec.id().value()), false, e -> { });
            // With augmentation, J_train is measured on the original training images: the distorted
            // copies are harder than the data J_cv is measured on, and the diagnosis compares like with like.
            Evaluation trainEval = model.train();
            TrialResult result = TrialResult.ok(spec.point().id(), spec.repeat(), spec.fold(), spec.fraction(), trainEval.count(),
                    trainEval.dataLoss(), model.validation().dataLoss(), trainEval.error(),
                    model.validation().error(), model.validation().accuracy(), model.validation().macroF1())
                    .withEpochs(spec.epochs());
            List<String> labels = model.validation().labels();
            if (labels.size() == 2 && storage.exists(dir.predictionsCsv())) {
                // AUC-PR from per-bin counts of the fold's predictions, counted by Spark like the sweep's curve.
                Dataset<Row> predictions = SparkSession.active().read().option("header", "true")
                        .option("escape", "\"").schema(ErrorFiles.trialSchema(labels))
                        .csv(storage.qualify(dir.predictionsCsv()).toString());
                result = result.withTwoClass(model.validation().f1(1),
                        ErrorFiles.threshold(predictions, labels, ThresholdConfig.F1).aucPr());
            }
            TrialMetrics metrics = new TrialMetrics(result, trainEval, model.trainAugmented(), model.validation(),
                    model.seconds(), StopPoint.of(model));
            storage.writeString(dir.metricsJson(), Json.render(metrics.toJson()));
            return result;
        } catch (Exception | OutOfMemoryError e) {
            if (StorageException.in(e).isPresent()) {
                // A full disk is not a property of the point: the sweep stops, nothing is recorded as failed.
                throw StorageException.in(e).get();
            }
            // A failure of this trial alone (diverged, bad values, OOM, a task failing for good, which
            // Spark throws as its checked SparkException, undeclared): record it and go on. A
            // diverged fit has written its curve already.
            return failed(spec, dir, e);
        }
    }

    /**
     * What a trial trains and validates on. Training: the other folds, as a nested stratified
     * subsample for a learning-curve trial, with their augmented copies if the point augments (a
     * subsample picks originals, their copies follow). Validation: the fold's originals.
     */
    Fitter.Data trialData(TrialSpec spec) {
        boolean augmented = spec.point().augments(augment);
        TrainingShards folds = shards.get(spec.repeat());
        return new Fitter.Data(folds.allBut(spec.fold(), augmented), spec.fraction(), folds.only(spec.fold()),
                folds.rowsPer(folds.groups() - 1, augmented));
    }

    /** Training work of a trial, for scheduling the longest first: parameters x training rows. */
    double cost(TrialSpec spec, long parameters) {
        return (double) parameters * trialData(spec).rows() * spec.fraction() * spec.train().epochs();
    }

    private TrialResult failed(TrialSpec spec, RunLayout.TrialLayout dir, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        storage.writeString(dir.errorTxt(), e.getMessage() + "\n\n" + trace);
        return TrialResult.failed(spec.point().id(), spec.repeat(), spec.fold(), spec.fraction(), String.valueOf(e.getMessage()))
                .withEpochs(spec.epochs());
    }
}
