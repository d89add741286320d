package io.foldwise;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foldwise.cli.Main;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.report.ReportWriter;
import io.foldwise.job.SweepJob;
import io.foldwise.job.SweepListener;
import io.foldwise.store.Json;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One small real sweep on the committed sample, run once per test JVM and shared by the report,
 * status and predict tests (which must copy the run before changing it): 2 λ x 2 folds x 2 epochs,
 * learning curve at 0.5 and 1. Its training data path contains {@code <script>}, so that every
 * place the report shows it must escape it.
 */
public final class SmallSweep {
    /** A piece of the training data path that HTML must escape. */
    public static final String SCRIPT_NAME = "x<script>alert(1)";

    private SmallSweep() {
    }

    /**
     * @param root   the test's scratch directory (under target/)
     * @param config the config the sweep ran with
     * @param layout its run directory
     */
    public record Run(Path root, FoldwiseConfig config, RunLayout layout, Storage storage, SweepJob.Result result) {
        /** The run directory as a local path. */
        public Path dir() {
            return Path.of(layout.runDir().toUri());
        }

        /**
         * A fresh copy of the run directory under {@code root/name}, with its run.json edited by
         * {@code editRunJson} (for tests that change stored state without touching the shared run).
         */
        public Path copy(String name, Consumer<ObjectNode> editRunJson) throws IOException {
            Path copy = root().resolve(name);
            deleteTree(copy);
            copyTree(dir(), copy);
            ObjectNode record = (ObjectNode) Json.parse(Files.readString(copy.resolve("run.json")));
            editRunJson.accept(record);
            Files.writeString(copy.resolve("run.json"), Json.render(record));
            Files.deleteIfExists(copy.resolve(".run.json.crc"));
            return copy;
        }
    }

    /**
     * The config of a tiny sweep on the committed sample (15 training and test images per class, an
     * MLP of 8 units, no learning curve) in {@code output/runId}, with {@code extra} overrides, for
     * tests that run a sweep of their own.
     */
    public static FoldwiseConfig tinyConfig(Path output, String runId, String... extra) {
        return ConfigLoader.load(null, tinyOverrides(output.toString(), runId, extra));
    }

    /** {@link #tinyConfig}'s overrides, as {@code key=value} (for a command line's {@code --set}). */
    public static List<String> tinyOverrides(String output, String runId, String... extra) {
        List<String> overrides = new java.util.ArrayList<>(List.of(
                "data.train=" + TestSpark.sample("train"),
                "data.test=" + TestSpark.sample("test"),
                "data.limitPerClass=15",
                "run.output=" + output,
                "run.id=" + runId,
                "train.architecture={mlp=[8]}",
                "learningCurve.fractions=[]"));
        overrides.addAll(List.of(extra));
        return overrides;
    }

    public static Run get() {
        return Holder.RUN;
    }

    /** Deletes a local directory tree, if it exists. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Holder {
        static final Run RUN = run();

        private static Run run() {
            Path root;
            try {
                // One per test JVM (forks must not share it), gone when the JVM ends.
                root = Files.createTempDirectory(Files.createDirectories(TestSpark.projectDir().resolve("target")),
                        "report-tests-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
                Path parent = Files.createDirectories(root.resolve(SCRIPT_NAME));
                Files.createSymbolicLink(parent.resolve("train"), TestSpark.sample("train"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            FoldwiseConfig config = ConfigLoader.load(null, List.of(
                    "data.train=" + root.resolve(SCRIPT_NAME).resolve("train"),
                    "data.test=" + TestSpark.sample("test"),
                    "run.output=" + root.resolve("runs"),
                    "run.id=small",
                    "train.architecture={mlp=[32]}",
                    "train.epochs=2",
                    "sweep.folds=2",
                    "sweep.grid.l2=[1e-4, 1e-2]",
                    "learningCurve.fractions=[0.5, 1.0]",
                    "diagnosis.baselineError=0.01"));
            Storage storage = new Storage(TestSpark.session().sparkContext().hadoopConfiguration());
            SweepJob.Result result = new SweepJob(TestSpark.session(), config, SweepListener.NONE, false,
                    ReportWriter.afterRun(storage)).run().orElseThrow();
            return new Run(root, config, result.layout(), storage, result);
        }
    }

    /** Runs the CLI in this JVM with stdout and stderr captured; returns the exit code. */
    public static int runCli(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Copies a local directory tree. */
    public static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
