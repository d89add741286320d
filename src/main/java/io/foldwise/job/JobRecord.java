package io.foldwise.job;

import io.foldwise.Progress;
import io.foldwise.augment.AugmentPreview;
import io.foldwise.config.AugmentConfig;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.ingest.LabeledImages;
import io.foldwise.store.DataFacts;
import io.foldwise.store.Provenance;
import io.foldwise.store.RunLayout;
import io.foldwise.store.RunRecord;
import io.foldwise.store.RunState;
import io.foldwise.store.Storage;
import io.foldwise.store.TransferSource;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The run.json lifecycle every job shares: running with provenance at the start, then finished
 * (scratch space removed) or failed with the error, with whatever data facts the job recorded by then.
 */
final class JobRecord {
    private JobRecord() {
    }

    /** The data facts a job collects while it runs; run.json gets them when the job ends. */
    static final class Facts {
        private Optional<DataFacts> facts = Optional.empty();

        /** Records what every job knows about its ingested training data. */
        void read(LabeledImages images) {
            facts = Optional.of(DataFacts.of(images.fingerprint(), images.count(), images.labelNames(),
                    images.classCounts(), images.droppedFiles()));
        }

        /** Adds to the facts recorded by {@link #read}. */
        void update(UnaryOperator<DataFacts> change) {
            facts = Optional.of(change.apply(facts.orElseThrow(
                    () -> new IllegalStateException("data facts updated before the data was read"))));
        }

        Optional<DataFacts> get() {
            return facts;
        }
    }

    /** Writes the augmentation preview of {@code trainRows} and records it in the data facts. */
    static void augmentPreview(Storage storage, RunLayout layout, Dataset<Row> trainRows, AugmentConfig augment,
                               Facts data) {
        AugmentPreview.write(storage, layout.augmentPreviewPng(), trainRows, augment);
        data.update(f -> f.withAugmentPreview(layout.augmentPreviewPng().getName()));
    }

    /**
     * Runs {@code body} with initially empty data facts that end up in run.json, then
     * {@code onEnd} (the CLI's report) whether the job finished or failed.
     */
    static <T> T run(SparkSession spark, Storage storage, RunLayout layout, String command, FoldwiseConfig config,
                     Consumer<RunLayout> onEnd, Function<Facts, T> body) {
        return run(spark, storage, layout, command, config, List.of(), onEnd, body);
    }

    /** {@link #run(SparkSession, Storage, RunLayout, String, FoldwiseConfig, Consumer, Function)}, naming in
     * run.json the saved models the job's networks start from. */
    static <T> T run(SparkSession spark, Storage storage, RunLayout layout, String command, FoldwiseConfig config,
                     List<TransferSource> sources, Consumer<RunLayout> onEnd, Function<Facts, T> body) {
        RunRecord record = RunRecord.started(layout.runId(), command, config, Provenance.capture(spark.version()))
                .withTransferSources(sources);
        record.write(storage, layout);
        Progress.line("%s %s -> %s", command, layout.runId(), layout.runDir());
        spark.sparkContext().uiWebUrl().foreach(url -> {
            Progress.line("Spark UI: %s", url);
            return null;
        });
        Facts data = new Facts();
        try {
            T result = body.apply(data);
            record.ended(RunState.FINISHED, data.get(), Instant.now(), Optional.empty()).write(storage, layout);
            storage.delete(layout.workDir());
            onEnd.accept(layout);
            return result;
        } catch (RuntimeException e) {
            record.ended(RunState.FAILED, data.get(), Instant.now(), Optional.of(String.valueOf(e.getMessage())))
                    .write(storage, layout);
            onEnd.accept(layout);
            throw e;
        }
    }
}
