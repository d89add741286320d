package io.foldwise.job;

import io.foldwise.FoldwiseException;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.ingest.Ingestor;
import io.foldwise.store.Csv;
import io.foldwise.store.ModelFiles;
import io.foldwise.store.RunLayout;
import io.foldwise.store.RunRecord;
import io.foldwise.store.Storage;
import io.foldwise.train.Evaluation;
import io.foldwise.train.Predictor;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code predict} command: applies a saved model and its label mapping to images read with the
 * preprocessing the model was trained with (the shape and ingest settings of its run's stored
 * config), writes one CSV line per image and, when the images have labels, evaluates them.
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
     * @param input      a folder of class folders, a folder of images, or an IDX images file
     * @param labelsFile the IDX labels file, for IDX input
     * @param output     where the CSV goes (a path or URI)
     * @throws FoldwiseException (usage) if the model or its run's config cannot be found; (data) for
     *                           input of the wrong shape or classes, as ingest reports them
     */
    public static Result run(SparkSession spark, String model, String input, Optional<String> labelsFile,
                             String output) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Storage storage = new Storage(sc.hadoopConfiguration());
        Located located = locate(storage, model);
        FoldwiseConfig config = RunRecord.read(storage, located.run()).foldwiseConfig();
        ModelFiles.Loaded loaded = ModelFiles.read(storage, located.model());
        List<String> labels = loaded.labels();
        Path target = storage.qualify(new Path(output));
        try (Ingestor.Input in = Ingestor.readInput(spark, "--input", input, "--input-labels", labelsFile,
                config.data().shape(), config.ingest(), labels, loaded.modelLabels().classes())) {
            long[][] confusion = new long[labels.size()][labels.size()];
            double[] lossSum = {0};
            long[] count = {0};
            storage.writeAtomically(target, stream -> {
                Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
                List<Object> header = new ArrayList<>(List.of("id", "path", "label", "predicted"));
                labels.forEach(l -> header.add("p_" + l));
                w.write(Csv.line(header));
                Predictor.predict(sc, loaded.network(), in.images().frame(), config.data().shape(), labels.size(),
                        config.train().batchSize(), p -> {
                            int predicted = loaded.modelLabels().predict(p.probabilities(), p.predicted());
                            List<Object> line = new ArrayList<>(List.of(p.id(), p.path(),
                                    in.labeled() ? labels.get(p.label()) : "", labels.get(predicted)));
                            for (double v : p.probabilities()) {
                                line.add(v);
                            }
                            write(w, Csv.line(line));
                            confusion[p.label()][predicted]++;
                            lossSum[0] += p.loss();
                            count[0]++;
                        });
                w.flush();
            });
            Optional<Evaluation> evaluation = in.labeled() && count[0] > 0
                    ? Optional.of(new Evaluation(labels, confusion, lossSum[0] / count[0], count[0]))
                    : Optional.empty();
            return new Result(target, count[0], evaluation);
        }
    }

    private static void write(Writer w, String text) {
        try {
            w.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The model's directory (model.zip, labels.json) and the run directory holding run.json. */
    record Located(RunLayout model, RunLayout run) {
    }

    /** Resolves {@code --model}: a run directory, its {@code best/}, or a model.zip in either. */
    static Located locate(Storage storage, String model) {
        Path p = storage.qualify(new Path(model));
        Path dir = p;
        if (p.getName().endsWith(".zip")) {
            if (!p.getName().equals("model.zip")) {
                throw new FoldwiseException(FoldwiseException.USAGE, "--model " + model + ": expected a file named "
                        + "model.zip (with labels.json beside it) as a run writes it, or its run directory");
            }
            dir = p.getParent();
        }
        RunLayout at = new RunLayout(dir);
        if (storage.exists(at.runJson())) {
            // A run directory: a sweep's model is its refit in best/, a train run's is at the top.
            RunLayout best = at.best();
            return new Located(storage.exists(best.modelZip()) ? best : at, at);
        }
        if (dir.getParent() != null && storage.exists(new RunLayout(dir.getParent()).runJson())) {
            return new Located(at, new RunLayout(dir.getParent()));
        }
        throw new FoldwiseException(FoldwiseException.USAGE, "--model " + model + ": no run.json found in " + dir
                + " or its parent; pass a run directory (or its best/, or a model.zip inside it): predict reads the "
                + "input shape and preprocessing from the run's config");
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
