package io.foldwise.job;

import io.foldwise.Progress;
import io.foldwise.augment.AugmentPreview;
import io.foldwise.augment.Augmenter;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.config.TrainConfig;
import io.foldwise.ingest.Ingestor;
import io.foldwise.ingest.LabeledImages;
import io.foldwise.select.Split;
import io.foldwise.select.Splits;
import io.foldwise.store.Json;
import io.foldwise.store.ModelFiles;
import io.foldwise.store.RunDirectory;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import io.foldwise.train.DivergedException;
import io.foldwise.train.EpochStats;
import io.foldwise.train.SparkTrainer;
import io.foldwise.train.Tensorizer;
import io.foldwise.train.TrainMetrics;
import io.foldwise.train.TrainedModel;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The {@code train} command: one network on a stratified train/validation split of the training
 * data, with a per-epoch curve, final metrics and the saved model. The test set is not read.
 */
public final class TrainJob {
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
        RunLayout layout = RunDirectory.claim(storage, config.run(), false);
        return JobRecord.run(spark, storage, layout, "train", config, onEnd, data -> {
            try (LabeledImages images = Ingestor.readTrain(spark, config.data(), config.ingest())) {
                return train(sc, storage, layout, config, images, data);
            }
        });
    }

    private static Result train(JavaSparkContext sc, Storage storage, RunLayout layout, FoldwiseConfig config,
                                LabeledImages images, JobRecord.Facts data) {
        data.read(images);
        TrainConfig train = config.train();
        Split split = Splits.holdout(images.frame(), train.validationFraction(), train.seed());
        int workers = train.workers() > 0 ? train.workers() : sc.defaultParallelism();
        // Split first, then augment the training side only: no copy of a validation image trains.
        Dataset<Row> trainRows = split.train();
        if (config.augment().enabled()) {
            AugmentPreview.write(storage, layout.augmentPreviewPng(), trainRows, config.augment());
            data.update(f -> f.withAugmentPreview(layout.augmentPreviewPng().getName()));
            trainRows = Augmenter.augment(trainRows, config.augment());
        }
        JavaRDD<DataSet> trainBatches = persisted(trainRows, config, images, workers);
        JavaRDD<DataSet> validationBatches = persisted(split.heldOut(), config, images, workers);
        try {
            long trainCount = split.train().count();
            long validationCount = split.heldOut().count();
            data.update(f -> f.withTrainCount(trainCount).withValidationCount(validationCount));
            Progress.line("data: %d images in %d classes (%d train, %d validation); %s, %d workers",
                    images.count(), images.labelNames().size(), trainCount, validationCount,
                    train.architecture().describe(), workers);
            if (config.augment().enabled()) {
                Progress.line("augment: %d copies of each training image (%d training rows); preview %s",
                        config.augment().copies(), trainCount * (config.augment().copies() + 1),
                        layout.augmentPreviewPng());
            }
            TrainedModel model = fitAndSave(sc, storage, layout, config, images, trainBatches, validationBatches,
                    workers);
            return new Result(layout, model);
        } finally {
            trainBatches.unpersist(false);
            validationBatches.unpersist(false);
        }
    }

    private static TrainedModel fitAndSave(JavaSparkContext sc, Storage storage, RunLayout layout,
                                           FoldwiseConfig config, LabeledImages images, JavaRDD<DataSet> train,
                                           JavaRDD<DataSet> validation, int workers) {
        TrainConfig t = config.train();
        TrainedModel model;
        try {
            model = new SparkTrainer(sc).fit(t, config.data().shape(), images.labelNames(), train, validation,
                    workers, layout.exportDir("train", t.exportDir()), TrainJob::epochLine);
        } catch (DivergedException e) {
            storage.writeString(layout.curveCsv(), EpochStats.toCsv(e.curve()));
            throw e;
        }
        storage.writeString(layout.curveCsv(), EpochStats.toCsv(model.curve()));
        storage.writeString(layout.metricsJson(), Json.render(TrainMetrics.of(model).toJson()));
        storage.writeString(layout.paramsJson(), Json.render(Json.raw(
                config.source().getConfig("train").root().render(com.typesafe.config.ConfigRenderOptions.concise()))));
        ModelFiles.write(storage, layout, model.network(), images.labelNames());
        Progress.line("done in %.1fs: train accuracy %.4f, validation accuracy %.4f, validation loss %.4f -> %s",
                model.seconds(), model.train().accuracy(), model.validation().accuracy(),
                model.validation().dataLoss(), layout.runDir());
        return model;
    }

    static void epochLine(EpochStats e) {
        Progress.line("epoch %d: train loss %.4f (data %.4f) acc %.4f | validation loss %.4f acc %.4f | %.1fs",
                e.epoch(), e.trainLoss(), e.trainDataLoss(), e.trainAccuracy(), e.validationLoss(),
                e.validationAccuracy(), e.seconds());
    }

    private static JavaRDD<DataSet> persisted(Dataset<Row> rows, FoldwiseConfig config, LabeledImages images,
                                              int workers) {
        TrainConfig t = config.train();
        // Serialized: ND4J arrays live off-heap, which Spark's memory accounting does not see.
        return Tensorizer.batches(rows, config.data().shape(), images.labelNames().size(), t.batchSize(), workers,
                t.seed()).persist(StorageLevel.MEMORY_AND_DISK_SER());
    }
}
