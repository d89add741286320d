package io.foldwise.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.typesafe.config.ConfigRenderOptions;
import io.foldwise.Progress;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.config.TrainConfig;
import io.foldwise.ingest.Ingestor;
import io.foldwise.ingest.LabeledImages;
import io.foldwise.select.Split;
import io.foldwise.select.Splits;
import io.foldwise.store.Json;
import io.foldwise.store.RunDirectory;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import io.foldwise.train.EpochStats;
import io.foldwise.train.TrainMetrics;
import io.foldwise.train.TrainedModel;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code train} command: one network on a stratified train/validation split of the training
 * data, with a per-epoch curve, final metrics and the saved model. The test set is not read.
 */
public final class TrainJob {
    private static final String GROUP = "__fw_split";

    private TrainJob() {
    }

    /** Where the run was written and the model it trained. */
    public record Result(RunLayout layout, TrainedModel model) {
    }

    /** Runs the job. */
    public static Result run(SparkSession spark, FoldwiseConfig config) {
        return run(spark, config, layout -> { });
    }

    /**
     * Runs the job, then {@code onEnd} with the run's layout whether it finished or failed (the CLI
     * writes the report there; select does not depend on report).
     */
    public static Result run(SparkSession spark, FoldwiseConfig config, Consumer<RunLayout> onEnd) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Storage storage = new Storage(sc.hadoopConfiguration());
        // A transfer source is loaded and checked before anything is claimed or trained.
        Transfers transfers = Transfers.load(storage, config.data().shape(), List.of(config.train()));
        RunLayout layout = RunDirectory.claim(storage, config.run(), false);
        return JobRecord.run(spark, storage, layout, "train", config, Optional.empty(), transfers.provenance(),
                new RunGuard(sc), () -> { }, onEnd, data -> {
            try (LabeledImages images = Ingestor.readTrain(spark, config.data(), config.ingest())) {
                return train(sc, storage, layout, config, transfers, images, data);
            }
        });
    }

    private static Result train(JavaSparkContext sc, Storage storage, RunLayout layout, FoldwiseConfig config,
                                Transfers transfers, LabeledImages images, JobRecord.Facts data) {
        data.read(images);
        TrainConfig train = transfers.resolve(config.train());
        Split split = Splits.holdout(images.frame(), train.validationFraction(), train.seed());
        long trainCount = split.train().count();
        long validationCount = split.heldOut().count();
        data.update(f -> f.withTrainCount(trainCount).withValidationCount(validationCount));
        boolean augmented = config.augment().enabled();
        if (augmented) {
            JobRecord.augmentPreview(storage, layout, split.train(), config.augment(), data);
        }
        Progress.line("data: %d images in %d classes (%d train, %d validation); %s%s", images.count(),
                images.labelNames().size(), trainCount, validationCount, train.architecture().describe(),
                transfers.provenance(train).map(t -> ", starting from " + t.uri() + " (run " + t.runId() + ", classes "
                        + t.labels() + ") with freeze=" + train.transfer().freezeText())
                        .orElse(""));
        // Split first (group 0 trains, group 1 validates), then augment the training side only: no
        // copy of a validation image trains.
        Dataset<Row> rows = split.train().withColumn(GROUP, lit(0)).unionByName(split.heldOut().withColumn(GROUP, lit(1)));
        try (TrainingShards shards = TrainingShards.prepare(sc, storage, layout, train.exportDir(), rows,
                trainCount + validationCount, col(GROUP), lit(0L), lit(1L), 2, config.data().shape(), train.seed(),
                config.augment())) {
            if (augmented) {
                Progress.line("augment: %d copies of each training image (%d training rows); preview %s",
                        config.augment().copies(), trainCount * (config.augment().copies() + 1),
                        layout.augmentPreviewPng());
            }
            Fitter fitter = new Fitter(sc, storage, config.data().shape(), images.labelNames(),
                    config.data().classes(), transfers)
                    .withClassCounts(images.classCounts());
            TrainedModel model = fitter.fit("train", train, new Fitter.Data(shards.allBut(1, augmented), 1.0,
                            shards.only(1), shards.rowsPer(1, augmented)), layout.curveCsv(), Optional.of(layout),
                    layout.exportDir("train", train.exportDir()), layout.checkpointDir("train"), true,
                    TrainJob::epochLine);
            storage.writeString(layout.metricsJson(), Json.render(TrainMetrics.of(model).toJson()));
            storage.writeString(layout.paramsJson(), Json.render(Json.raw(
                    config.source().getConfig("train").root().render(ConfigRenderOptions.concise()))));
            storage.delete(layout.checkpointDir("train"));
            Progress.line("done in %.1fs: train accuracy %.4f, validation accuracy %.4f, validation loss %.4f -> %s",
                    model.seconds(), model.train().accuracy(), model.validation().accuracy(),
                    model.validation().dataLoss(), layout.runDir());
            return new Result(layout, model);
        }
    }

    static void epochLine(EpochStats e) {
        Progress.line("epoch %d: train loss %.4f (data %.4f) acc %.4f | validation loss %.4f acc %.4f | %.1fs",
                e.epoch(), e.trainLoss(), e.trainDataLoss(), e.trainAccuracy(), e.validationLoss(),
                e.validationAccuracy(), e.seconds());
    }
}
