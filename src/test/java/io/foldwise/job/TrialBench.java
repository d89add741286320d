package io.foldwise.job;

import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.ingest.Ingestor;
import io.foldwise.ingest.LabeledImages;
import io.foldwise.model.NetworkFactory;
import io.foldwise.select.FoldSplitter;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import io.foldwise.train.Shards;
import io.foldwise.train.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Benchmark (not a test): one Foldwise trial against plain single-JVM DL4J on the same data and
 * epochs, images/s per core inside a trial, one averaging worker against two, and ingest rates.
 * Run by {@code bench/trial-speed.sh}, which passes the master, the MNIST IDX directory and an
 * optional PNG folder. Prints one table.
 *
 * <p>Arguments: {@code master idxDir epochs [pngFolder...]}.
 */
public final class TrialBench {
    private TrialBench() {
    }

    public static void main(String[] args) throws Exception {
        String master = args[0];
        Path idx = Path.of(args[1]);
        int epochs = Integer.parseInt(args[2]);
        SparkSession spark = io.foldwise.train.SparkSessions.getOrCreate(master);
        spark.sparkContext().setLogLevel("WARN");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Storage storage = new Storage(sc.hadoopConfiguration());
        Path tmp = Files.createTempDirectory("foldwise-bench");
        List<String[]> table = new ArrayList<>();

        FoldwiseConfig config = ConfigLoader.load(null, List.of("data.format=idx",
                "data.train=" + idx.resolve("train-images-idx3-ubyte.gz"),
                "data.trainLabels=" + idx.resolve("train-labels-idx1-ubyte.gz"), "data.test=", "data.limit=10000",
                "train.architecture={mlp=[256]}", "train.l2=1e-4", "train.epochs=" + epochs, "train.batchSize=32",
                "sweep.folds=5", "sweep.seed=7", "run.output=" + tmp.toUri(), "run.id=bench"));
        try (LabeledImages images = Ingestor.readTrain(spark, config.data(), config.ingest())) {
            Dataset<Row> assigned = FoldSplitter.assign(images.frame(), 5, 7).cache();
            long n = assigned.count();
            RunLayout layout = RunLayout.of(new org.apache.hadoop.fs.Path(tmp.toUri()), "bench");
            try (TrainingShards shards = TrainingShards.folds(sc, storage, layout, assigned, n, config)) {
                Fitter fitter = new Fitter(sc, storage, config.data().shape(), images.labelNames(),
                config.data().classes());
                Fitter.Data fold0 = new Fitter.Data(shards.allBut(0, false), 1.0, shards.only(0),
                        shards.rowsPer(4, false));
                long trainRows = assigned.where("fold != 0").count();

                // Plain DL4J: pre-batched DataSets of the same fold, shuffled every epoch, one thread.
                List<DataSet> batches = plainBatches(assigned.where("fold != 0"), images.labelNames().size());
                fitter.fit("warm-up", config.train(), fold0, new org.apache.hadoop.fs.Path(tmp.resolve("w.csv")
                        .toUri()), Optional.empty(), layout.exportDir("w"), layout.checkpointDir("w"), false, e -> { });
                double plain = plain(config, images.labelNames().size(), batches, epochs);
                long t0 = System.nanoTime();
                TrainedModel one = fitter.fit("w1", config.train(), fold0, new org.apache.hadoop.fs.Path(
                        tmp.resolve("w1.csv").toUri()), Optional.empty(), layout.exportDir("w1"), layout.checkpointDir("w1"), false, e -> { });
                double trial = (System.nanoTime() - t0) / 1e9;
                double fitSeconds = one.curve().stream().mapToDouble(e -> e.seconds()).sum();
                table.add(row("plain DL4J MultiLayerNetwork.fit, 784-256-10 Adam batch 32", plain,
                        trainRows * epochs / plain, "-"));
                table.add(row("Foldwise trial, 1 worker (one Spark task, curves, evaluation)", trial,
                        trainRows * epochs / trial, String.format(Locale.ROOT, "%.2f x plain; J_cv %.4f acc %.4f",
                                trial / plain, one.validation().dataLoss(), one.validation().accuracy())));
                table.add(row("  of which training minibatches (images/s per core inside a trial)", fitSeconds,
                        trainRows * epochs / fitSeconds, "-"));
                t0 = System.nanoTime();
                TrainedModel two = fitter.fit("w2", withWorkers(config, 2).train(), fold0, new org.apache.hadoop.fs.Path(
                        tmp.resolve("w2.csv").toUri()), Optional.empty(), layout.exportDir("w2"), layout.checkpointDir("w2"), false, e -> { });
                double averaged = (System.nanoTime() - t0) / 1e9;
                table.add(row("Foldwise fit, train.workers = 2 (parameter averaging)", averaged,
                        trainRows * epochs / averaged, String.format(Locale.ROOT, "%.2f x 1 worker; acc %.4f vs %.4f",
                                averaged / trial, two.validation().accuracy(), one.validation().accuracy())));
            }
            assigned.unpersist();
        }
        for (int i = 3; i < args.length; i++) {
            FoldwiseConfig png = ConfigLoader.load(null, List.of("data.format=folders", "data.train=" + args[i],
                    "data.test="));
            long t0 = System.nanoTime();
            long count;
            try (LabeledImages images = Ingestor.readTrain(spark, png.data(), png.ingest())) {
                count = images.count();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            int cores = sc.defaultParallelism();
            table.add(row("ingest PNG folder " + Path.of(args[i]).getFileName() + " (" + count + " images, "
                    + cores + " cores)", s, count / s / cores, "images/s per core"));
        }
        System.out.printf(Locale.ROOT, "%n%-72s %9s %14s  %s%n", "what (" + epochs + " epochs, fold of 8,000/2,000)",
                "seconds", "images/s", "note");
        table.forEach(r -> System.out.printf(Locale.ROOT, "%-72s %9s %14s  %s%n", (Object[]) r));
        spark.stop();
    }

    private static String[] row(String what, double seconds, double rate, String note) {
        return new String[] {what, String.format(Locale.ROOT, "%.1f", seconds),
            String.format(Locale.ROOT, "%.0f", rate), note};
    }

    private static FoldwiseConfig withWorkers(FoldwiseConfig config, int workers) {
        return ConfigLoader.fromConfig(config.source().withValue("train.workers",
                com.typesafe.config.ConfigValueFactory.fromAnyRef(workers)));
    }

    private static List<DataSet> plainBatches(Dataset<Row> rows, int classes) {
        List<Row> all = rows.select("pixels", "label").collectAsList();
        List<DataSet> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += 32) {
            int m = Math.min(32, all.size() - from);
            float[] f = new float[m * 784];
            float[] l = new float[m * classes];
            for (int i = 0; i < m; i++) {
                System.arraycopy(Shards.floats(all.get(from + i), 0), 0, f, i * 784, 784);
                l[i * classes + all.get(from + i).getInt(1)] = 1;
            }
            out.add(new DataSet(Nd4j.create(f, new long[] {m, 784}, 'c'), Nd4j.create(l, new long[] {m, classes}, 'c')));
        }
        return out;
    }

    private static double plain(FoldwiseConfig config, int classes, List<DataSet> batches, int epochs) {
        MultiLayerNetwork net = NetworkFactory.create(config.train(), config.data().shape(), classes);
        for (DataSet d : batches.subList(0, 50)) {
            net.fit(d); // JIT warm-up, as the trial's warm-up fit above
        }
        net = NetworkFactory.create(config.train(), config.data().shape(), classes);
        Random rng = new Random(1);
        List<DataSet> order = new ArrayList<>(batches);
        long t0 = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            Collections.shuffle(order, rng);
            for (DataSet d : order) {
                net.fit(d);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
