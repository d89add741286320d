package io.foldwise.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigRenderOptions;
import io.foldwise.config.AugmentConfig;
import io.foldwise.config.TrainConfig;
import io.foldwise.select.TrialResult;
import io.foldwise.select.TrialSpec;
import io.foldwise.store.Json;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import io.foldwise.train.Evaluation;
import io.foldwise.train.TrainedModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import java.util.UUID;

/**
 * Trains one trial and commits its files: params.json, curve.csv, metrics.json, then _SUCCESS
 * last. With augmentation, J_train (metrics.json "train", and the trial's training size) is measured
 * on the original training images; "trainAugmented" holds the metrics on all rows trained on. A trial that fails is recorded (error.txt, no _SUCCESS) and returned as failed, so the
 * sweep goes on; a directory without _SUCCESS is never read as a result.
 */
final class TrialRunner {
    private final Storage storage;
    private final RunLayout layout;
    private final TrainingShards shards;
    private final Fitter fitter;
    private final AugmentConfig augment;

    /**
     * @param shards  the sweep's folds as shard groups
     * @param augment how to augment the training rows of points that augment
     */
    TrialRunner(Storage storage, RunLayout layout, TrainingShards shards, Fitter fitter, AugmentConfig augment) {
        this.storage = storage;
        this.layout = layout;
        this.shards = shards;
        this.fitter = fitter;
        this.augment = augment;
    }

    /** The committed result of a trial, if it has one (_SUCCESS present). */
    Optional<TrialResult> committed(TrialSpec spec) {
        RunLayout.TrialLayout dir = layout.trial(spec.id().value());
        if (!storage.exists(dir.success())) {
            return Optional.empty();
        }
        return Optional.of(TrialResult.fromJson(Json.parse(storage.readString(dir.metricsJson()))));
    }

    /**
     * Trains the trial. Its files are written to a staging directory that is renamed into place at
     * the end, so trials/&lt;id&gt; is always complete (with _SUCCESS) or a recorded failure.
     */
    TrialResult run(TrialSpec spec) {
        RunLayout.TrialLayout dir = layout.stagingTrial(spec.id().value(), UUID.randomUUID().toString());
        try {
            return runIn(spec, dir);
        } finally {
            storage.replace(dir.dir(), layout.trial(spec.id().value()).dir());
        }
    }

    private TrialResult runIn(TrialSpec spec, RunLayout.TrialLayout dir) {
        storage.writeString(dir.paramsJson(), Json.render(params(spec)));
        TrainConfig train = spec.point().train();
        try {
            TrainedModel model = fitter.fit(spec.id().value(), train, trialData(spec), dir.curveCsv(),
                    Optional.empty(), layout.exportDir(spec.id().value(), train.exportDir()), false, e -> { });
            // With augmentation, J_train is measured on the original training images: the distorted
            // copies are harder than the data J_cv is measured on, and the diagnosis compares like with like.
            Evaluation trainEval = model.train();
            TrialResult result = TrialResult.ok(spec.point().id(), spec.fold(), spec.fraction(), trainEval.count(),
                    trainEval.dataLoss(), model.validation().dataLoss(), trainEval.error(),
                    model.validation().error(), model.validation().accuracy(), model.validation().macroF1());
            ObjectNode metrics = result.toJson();
            metrics.set("train", trainEval.toJson());
            model.trainAugmented().ifPresent(all -> metrics.set("trainAugmented", all.toJson()));
            metrics.set("validation", model.validation().toJson());
            metrics.put("seconds", model.seconds());
            storage.writeString(dir.metricsJson(), Json.render(metrics));
            storage.writeString(dir.success(), "");
            return result;
        } catch (RuntimeException | OutOfMemoryError e) {
            // A failure of this trial alone (diverged, bad values, OOM, a task failing for good):
            // record it and go on. A diverged fit has written its curve already.
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
        return new Fitter.Data(shards.allBut(spec.fold(), augmented), spec.fraction(), shards.only(spec.fold()),
                shards.rowsPer(shards.groups() - 1, augmented));
    }

    /** Training work of a trial, for scheduling the longest first: parameters x training rows. */
    double cost(TrialSpec spec, long parameters) {
        return (double) parameters * trialData(spec).rows() * spec.fraction() * spec.point().train().epochs();
    }

    private TrialResult failed(TrialSpec spec, RunLayout.TrialLayout dir, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        storage.writeString(dir.errorTxt(), e.getMessage() + "\n\n" + trace);
        return TrialResult.failed(spec.point().id(), spec.fold(), spec.fraction(), String.valueOf(e.getMessage()));
    }

    private static ObjectNode params(TrialSpec spec) {
        ObjectNode n = Json.object();
        n.put("trialId", spec.id().value());
        n.put("pointId", spec.point().id());
        n.put("label", spec.point().label());
        n.put("fold", spec.fold());
        n.put("fraction", spec.fraction());
        ObjectNode values = n.putObject("values");
        spec.point().values().forEach((k, v) -> values.set(k, Json.raw(v.render(ConfigRenderOptions.concise()))));
        return n;
    }
}
