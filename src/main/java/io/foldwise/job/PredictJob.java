package io.foldwise.job;

import static org.apache.spark.sql.functions.col;

import io.foldwise.FoldwiseException;
import io.foldwise.config.DataFormat;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.ingest.Ingestor;
import io.foldwise.store.ModelFiles;
import io.foldwise.store.RunLayout;
import io.foldwise.store.RunRecord;
import io.foldwise.store.Storage;
import io.foldwise.train.Evaluation;
import io.foldwise.train.Predictor;
import io.foldwise.ingest.ImageSchema;
import java.util.ArrayList;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code predict} command: applies a saved model and its label mapping to images read with the
 * preprocessing the model was trained with (the shape and ingest settings of its run's stored
 * config), writes one row per image from the executors (a directory of CSV or Parquet part files,
 * each sorted by id; nothing per image passes through the driver) and, when the images have
 * labels, evaluates them from one aggregation. The model's labels.json maps the input's classes
 * (data.classes) and, for a two-class model with a stored threshold, decides the predicted class.
 */
public final class PredictJob {
    private PredictJob() {
    }

    /**
     * What {@code predict} wrote and measured.
     *
     * @param evaluation accuracy, loss and confusion matrix; empty for unlabeled images
     */
    public record Result(Path output, long count, Optional<Evaluation> evaluation) {
        /** Lines for people: the count and output, then accuracy and the confusion matrix if labeled. */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            out.add(count + " predictions -> " + output);
            evaluation.ifPresent(e -> {
                out.add(String.format(Locale.ROOT, "accuracy %.4f, loss %.4f, macro F1 %.4f on %d labeled images",
                        e.accuracy(), e.dataLoss(), e.macroF1(), e.count()));
                out.add("confusion matrix (rows actual, columns predicted):");
                out.addAll(confusionTable(e));
            });
            if (evaluation.isEmpty()) {
                out.add("the images have no labels (no class folders), so there is no accuracy");
            }
            return out;
        }
    }

    /**
     * Runs predict.
     *
     * @param model      a run directory, its {@code best/}, or a {@code model.zip} inside one of them
     * @param input      a folder of class folders, a folder of images, an IDX images file, Parquet files or a table
     * @param format     the input's format; empty to detect it (folders, IDX or Parquet; a table must be named).
     *                   Parquet and table input have the columns of the run's {@code data.columns}
     * @param labelsFile the IDX labels file, for IDX input
     * @param output     the directory the part files go to (a path or URI), replaced if it exists
     * @param outputFormat CSV or Parquet; empty: Parquet when {@code output} ends in .parquet, else CSV
     * @throws FoldwiseException (usage) if the model or its run's config cannot be found; (data) for
     *                           input of the wrong shape or classes, as ingest reports them
     */
    public static Result run(SparkSession spark, String model, String input, Optional<DataFormat> format,
                             Optional<String> labelsFile, String output, Optional<OutputFormat> outputFormat) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Storage storage = new Storage(sc.hadoopConfiguration());
        ModelFiles.Located located = ModelFiles.locate(storage, "--model", model);
        FoldwiseConfig config = RunRecord.read(storage, located.run()).foldwiseConfig();
        ModelFiles.Loaded loaded = ModelFiles.read(storage, located.model());
        List<String> labels = loaded.labels();
        Path target = storage.qualify(new Path(output));
        OutputFormat writeAs = outputFormat.orElse(OutputFormat.of(target));
        try (Ingestor.Input in = Ingestor.readInput(spark, "--input", input, format, "--input-labels", labelsFile,
                config.data().shape(), config.ingest(), config.data().columns(), labels,
                loaded.modelLabels().classes());
             Predictor.Predictions predictions = Predictor.predict(sc, loaded.network(), in.images().frame(),
                     config.data().shape(), labels.size(), config.train().batchSize())) {
            // Cached (a few numbers per image): written once by the executors, then counted for the evaluation.
            // A two-class model's stored threshold decides its predictions (ModelLabels).
            OptionalDouble threshold = loaded.modelLabels().threshold();
            Dataset<Row> table = Predictor.named(predictions.frame(), labels, in.labeled(),
                            threshold.isPresent() ? Optional.of(threshold.getAsDouble()) : Optional.empty())
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            try {
                write(storage, table, target, writeAs);
                long[][] confusion = new long[labels.size()][labels.size()];
                double lossSum = 0;
                long count = 0;
                for (Row g : table.groupBy(col(Predictor.LABEL_INDEX), col(Predictor.PREDICTED_INDEX))
                        .agg(functions.count(functions.lit(1)), functions.sum(col(Predictor.LOSS))).collectAsList()) {
                    confusion[g.getInt(0)][g.getInt(1)] += g.getLong(2);
                    lossSum += g.getDouble(3);
                    count += g.getLong(2);
                }
                Optional<Evaluation> evaluation = in.labeled() && count > 0
                        ? Optional.of(new Evaluation(labels, confusion, lossSum / count, count))
                        : Optional.empty();
                return new Result(target, count, evaluation);
            } finally {
                table.unpersist(false);
            }
        }
    }

    /** As {@link #run(SparkSession, String, String, Optional, Optional, String, Optional)}, format by name. */
    public static Result run(SparkSession spark, String model, String input, Optional<DataFormat> format,
                             Optional<String> labelsFile, String output) {
        return run(spark, model, input, format, labelsFile, output, Optional.empty());
    }

    /** How predictions are written. */
    public enum OutputFormat {
        /** A directory of CSV part files, each with the header line. */
        CSV,
        /** A directory of Parquet files; probabilities are doubles, labels strings. */
        PARQUET;

        /** Parquet for a path ending in .parquet, else CSV. */
        static OutputFormat of(Path target) {
            return target.getName().toLowerCase(Locale.ROOT).endsWith(".parquet") ? PARQUET : CSV;
        }
    }

    /** Executors write the part files into a temporary sibling, which then replaces {@code target}. */
    private static void write(Storage storage, Dataset<Row> table, Path target, OutputFormat format) {
        Path tmp = new Path(target.getParent(), "._tmp." + target.getName() + "." + UUID.randomUUID());
        Dataset<Row> out = table.drop(Predictor.LABEL_INDEX, Predictor.PREDICTED_INDEX, Predictor.LOSS);
        try {
            if (format == OutputFormat.PARQUET) {
                out.write().parquet(tmp.toString());
            } else {
                out.write().option("header", "true").option("emptyValue", "").csv(tmp.toString());
            }
            storage.commitDirectory(tmp, target);
        } finally {
            storage.delete(tmp);
        }
    }

    /** The confusion matrix as fixed-width lines with class names. */
    static List<String> confusionTable(Evaluation e) {
        List<String> labels = e.labels();
        int width = 6;
        for (String l : labels) {
            width = Math.max(width, l.length() + 1);
        }
        for (long[] row : e.confusion()) {
            for (long v : row) {
                width = Math.max(width, Long.toString(v).length() + 1);
            }
        }
        String cell = "%" + width + "s";
        List<String> out = new ArrayList<>();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, cell, ""));
        labels.forEach(l -> head.append(String.format(Locale.ROOT, cell, l)));
        out.add(head.toString());
        for (int a = 0; a < labels.size(); a++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, cell, labels.get(a)));
            for (long v : e.confusion()[a]) {
                line.append(String.format(Locale.ROOT, cell, v));
            }
            out.add(line.toString());
        }
        return out;
    }
}
