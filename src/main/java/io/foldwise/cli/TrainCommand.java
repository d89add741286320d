package io.foldwise.cli;

import io.foldwise.config.FoldwiseConfig;
import io.foldwise.train.SparkSessions;
import io.foldwise.report.ReportWriter;
import io.foldwise.job.TrainJob;
import io.foldwise.store.Storage;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code foldwise train}: one network on a train/validation split. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train one network with Spark parameter averaging on a train/validation split of "
                + "data.train; write its curve, metrics and model under <output>/<run-id>/.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        FoldwiseConfig config = options.load();
        SparkSession spark = SparkSessions.getOrCreate(options.master);
        TrainJob.run(spark, config, ReportWriter.afterRun(new Storage(spark.sparkContext().hadoopConfiguration())));
        return 0;
    }
}
