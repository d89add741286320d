package io.foldwise.job;

import io.foldwise.FoldwiseException;
import io.foldwise.Progress;
import io.foldwise.TestPause;
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
import io.foldwise.store.TrialStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The run.json lifecycle every job shares: running with provenance at the start, then finished
 * (scratch space removed), failed with the error, or interrupted by a signal, with whatever data
 * facts the job recorded by then.
 */
final class JobRecord {
    private JobRecord() {
    }

    /** The data facts a job collects while it runs; run.json gets them when the job ends. */
    static final class Facts {
        private Optional<DataFacts> facts;
        private final Consumer<Optional<DataFacts>> onRead;

        /**
         * @param previous the facts of the run this job resumes: kept until this job has read its own
         *                 data, so a job refused before that leaves them in run.json for the next resume
         * @param onRead   told the facts once the data was read (run.json records them at once)
         */
        Facts(Optional<DataFacts> previous, Consumer<Optional<DataFacts>> onRead) {
            this.facts = previous;
            this.onRead = onRead;
        }

        /** Records what every job knows about its ingested training data. */
        void read(LabeledImages images) {
            facts = Optional.of(DataFacts.of(images.fingerprint(), images.count(), images.labelNames(),
                    images.classCounts(), images.droppedFiles()));
            onRead.accept(facts);
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
     * Priority of the hook that records an interruption, in Hadoop's shutdown hook manager: above
     * Spark's context (40) and the file systems' (10), so run.json is written while both still work.
     */
    static final int SHUTDOWN_PRIORITY = 50;

    /**
     * Runs {@code body} with initially empty data facts that end up in run.json, then
     * {@code onEnd} (the CLI's report) whether the job finished or failed. While it runs, a shutdown
     * hook (SIGTERM, SIGINT) stops the job through {@code guard}, records run.json as interrupted
     * with the time and the trials committed, and calls {@code release} (the lock); the JVM then
     * exits 143 or 130. A job {@code guard} stopped otherwise (its lock lost) writes nothing more.
     */
    static <T> T run(SparkSession spark, Storage storage, RunLayout layout, String command, FoldwiseConfig config,
                     RunGuard guard, Runnable release, Consumer<RunLayout> onEnd, Function<Facts, T> body) {
        return run(spark, storage, layout, command, config, Optional.empty(), List.of(), guard, release, onEnd, body);
    }

    /**
     * {@link #run}, resuming a run whose run.json held {@code previousData} (they stay in run.json
     * until this job has read its own data, which are written as soon as they are known, so that
     * a resume after a crash can compare them), and naming in run.json the saved models the job's
     * networks start from.
     */
    static <T> T run(SparkSession spark, Storage storage, RunLayout layout, String command, FoldwiseConfig config,
                     Optional<DataFacts> previousData, List<TransferSource> sources, RunGuard guard, Runnable release,
                     Consumer<RunLayout> onEnd, Function<Facts, T> body) {
        RunRecord record = RunRecord.started(layout.runId(), command, config, Provenance.capture(spark.version()))
                .withTransferSources(sources);
        guard.commit(() -> record.withData(previousData).write(storage, layout));
        Progress.line("%s %s -> %s", command, layout.runId(), layout.runDir());
        spark.sparkContext().uiWebUrl().foreach(url -> {
            Progress.line("Spark UI: %s", url);
            return null;
        });
        Facts data = new Facts(previousData,
                facts -> guard.commit(() -> record.withData(facts).write(storage, layout)));
        Runnable hook = () -> interrupted(storage, layout, record, data, guard, release);
        ShutdownHookManager.get().addShutdownHook(hook, SHUTDOWN_PRIORITY);
        try {
            T result = body.apply(data);
            guard.commit(() -> record.ended(RunState.FINISHED, data.get(), Instant.now(), Optional.empty())
                    .write(storage, layout));
            storage.delete(layout.workDir());
            TestPause.fromSystemProperties().at("report");
            onEnd.accept(layout);
            return result;
        } catch (Throwable e) { // Spark throws its checked SparkException undeclared: catch everything
            if (guard.stopped().isPresent()) {
                // Stopped from outside: the hook or the new lock owner has the last word on run.json.
                throw guard.stopped().get();
            }
            String message = e instanceof Error err ? FoldwiseException.errorMessage(err) : String.valueOf(e.getMessage());
            try {
                guard.commit(() -> record.ended(RunState.FAILED, data.get(), Instant.now(), Optional.of(message))
                        .write(storage, layout));
                onEnd.accept(layout);
            } catch (RuntimeException recording) {
                // The storage that failed the job may fail this too: the job's own error is what to report.
                e.addSuppressed(recording);
            }
            throw e;
        } finally {
            removeHook(hook);
        }
    }

    private static void interrupted(Storage storage, RunLayout layout, RunRecord record, Facts data, RunGuard guard,
                                    Runnable release) {
        if (!guard.stop(new FoldwiseException(FoldwiseException.RUNTIME, "interrupted: the process was asked to "
                + "stop (SIGTERM or SIGINT); run the same command again to resume"))) {
            return;
        }
        try {
            OptionalLong committed = record.sweep()
                    ? OptionalLong.of(new TrialStore(storage, layout).doneCount()) : OptionalLong.empty();
            record.interrupted(data.get(), Instant.now(), "interrupted by a signal (SIGTERM or SIGINT)"
                    + committed.stream().mapToObj(c -> " with " + c + " trial(s) committed").findFirst().orElse("")
                    + "; run the same command again to resume", committed).write(storage, layout);
            Progress.line("interrupted: %s marked interrupted%s", layout.runJson(), committed.stream()
                    .mapToObj(c -> " (" + c + " trial(s) committed are kept)").findFirst().orElse(""));
        } catch (RuntimeException e) {
            Progress.line("interrupted, and run.json could not be updated: %s", e.getMessage());
        } finally {
            release.run();
        }
    }

    private static void removeHook(Runnable hook) {
        try {
            ShutdownHookManager.get().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook is running or has run
        }
    }
}
