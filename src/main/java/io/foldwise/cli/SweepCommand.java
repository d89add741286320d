package io.foldwise.cli;

import io.foldwise.config.FoldwiseConfig;
import io.foldwise.report.ReportWriter;
import io.foldwise.job.SweepJob;
import io.foldwise.store.Storage;
import org.apache.spark.sql.SparkSession;
import io.foldwise.job.SweepListener;
import io.foldwise.train.SparkSessions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code foldwise sweep}: cross-validated grid search, refit, one test, curves and diagnosis. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Cross-validate every point of sweep.grid over sweep.folds stratified folds, choose by the "
                + "mean CV metric, draw learning and validation curves, diagnose bias/variance, refit the "
                + "chosen point on all training data and evaluate it once on the test set.")
public final class SweepCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--force", description = "Run again from scratch when the run directory (--run-id) holds a "
            + "finished run. Without it, re-running a finished run does nothing, and an unfinished one resumes.")
    boolean force;

    @Option(names = "--allow-data-change", description = "Resume even when the training data changed since the run "
            + "started (its committed trials were trained on the old data and are kept). Without it such a resume is "
            + "refused (exit 2).")
    boolean allowDataChange;

    @Override
    public Integer call() {
        FoldwiseConfig config = options.load();
        SparkSession spark = SparkSessions.getOrCreate(options.master);
        new SweepJob(spark, config, SweepListener.NONE, force, allowDataChange,
                ReportWriter.afterRun(new Storage(spark.sparkContext().hadoopConfiguration()))).run();
        return 0;
    }
}
