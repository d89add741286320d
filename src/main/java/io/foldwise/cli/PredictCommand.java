package io.foldwise.cli;

import io.foldwise.config.DataFormat;
import io.foldwise.job.PredictJob;
import io.foldwise.train.SparkSessions;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code foldwise predict}: applies a saved model to images. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Apply a saved model and its label mapping to images, preprocessed as in training; write a row "
                + "per image (id, path, label, predicted label, probability per class) from the executors as CSV or "
                + "Parquet part files and, when the images have labels, print accuracy and the confusion matrix.")
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "A run directory (a sweep's model is its best/), its best/, or a model.zip inside one.")
    String model;

    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "A folder of class folders (<dir>/<class>/*.png, labeled), a folder of images (unlabeled), "
                    + "or an IDX images file.")
    String input;

    @Option(names = "--input-format", paramLabel = "FORMAT",
            description = "folders, idx, parquet or table (a table of Spark's catalog, named db.table). Default: "
                    + "detected (a path ending in .parquet or a directory of .parquet files is Parquet, with the "
                    + "columns of the run's data.columns; without the label column it is unlabeled).")
    String inputFormat;

    @Option(names = "--input-labels", paramLabel = "FILE", description = "The IDX labels file, for IDX --input.")
    String inputLabels;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "predictions.csv",
            description = "The directory the executors write the predictions to, a path or URI, replaced if it "
                    + "exists: part files with one row per image, each sorted by id (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "csv (part files with a header line each) or parquet. Default: parquet when --output ends "
                    + "in .parquet, else csv.")
    String format;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master when not set by spark-submit (default local[*]).")
    String master;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PredictJob.Result result = PredictJob.run(SparkSessions.getOrCreate(master), model, input,
                Optional.ofNullable(inputFormat).map(PredictCommand::format), Optional.ofNullable(inputLabels), output,
                Optional.ofNullable(format).map(PredictCommand::outputFormat));
        PrintWriter out = spec.commandLine().getOut();
        result.lines().forEach(out::println);
        out.flush();
        return 0;
    }

    private static PredictJob.OutputFormat outputFormat(String name) {
        try {
            return PredictJob.OutputFormat.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new io.foldwise.FoldwiseException(io.foldwise.FoldwiseException.USAGE, "--format " + name
                    + ": expected csv or parquet");
        }
    }

    private static DataFormat format(String name) {
        try {
            return DataFormat.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new io.foldwise.FoldwiseException(io.foldwise.FoldwiseException.USAGE, "--input-format " + name
                    + ": expected one of folders, idx, parquet, table");
        }
    }
}
