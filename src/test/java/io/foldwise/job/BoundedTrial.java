package io.foldwise.job;

import static org.apache.spark.sql.functions.expr;

import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.model.NetworkFactory;
import io.foldwise.select.FoldSplitter;
import io.foldwise.select.Grid;
import io.foldwise.select.TrialResult;
import io.foldwise.select.TrialSpec;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import io.foldwise.train.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Run in a child JVM by {@link StreamedMinibatchesIT}. Prepares a synthetic sweep (2 folds of
 * {@code rows} 56x56 images each, generated in Spark so the driver holds none), warms ND4J up,
 * then caps its own data segment (RLIMIT_DATA, which is what bounds ND4J's native buffers) at what
 * it uses now plus {@code budget} bytes and trains fold 1's trial ({@code stream}); or, warmed up
 * and capped the same way, allocates that trial's training fold as minibatches held at once
 * ({@code materialise}). Exits 0 when that worked.
 *
 * <p>Arguments: mode, rows per fold, budget in bytes, scratch directory.
 */
public final class BoundedTrial {
    static final int SIDE = 56;
    static final int BATCH = 32;

    private BoundedTrial() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int rows = Integer.parseInt(args[1]);
        long budget = Long.parseLong(args[2]);
        Path scratch = Path.of(args[3]);
        FoldwiseConfig config = ConfigLoader.load(null, List.of("data.height=" + SIDE, "data.width=" + SIDE,
                "train.architecture.mlp=[16]", "train.epochs=1", "train.batchSize=" + BATCH,
                "train.shuffleBuffer=2048", "train.trainSample=500", "sweep.folds=2", "sweep.grid.l2=[1e-3]"));
        int size = SIDE * SIDE;
        List<String> labels = IntStream.range(0, 10).mapToObj(String::valueOf).toList();
        TrialSpec spec = new TrialSpec(Grid.expand(config).get(0), 1, 1.0);
        if (mode.equals("materialise")) {
            // What materialising the trial's training fold costs: its minibatches, all held at once.
            capAfterWarmUp(config, spec, labels, budget);
            List<INDArray> held = new ArrayList<>();
            for (int b = 0; b < rows / BATCH; b++) {
                held.add(Nd4j.create(DataType.FLOAT, BATCH, size));
                if (held.size() % 64 == 0) {
                    System.err.println("held " + (long) held.size() * BATCH * size * Float.BYTES + " bytes");
                }
            }
            System.err.println("materialised " + held.size() + " minibatches");
            System.exit(0);
        }
        SparkSession spark = SparkSessions.getOrCreate("local[1]");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // Class c: a bright band at rows 5c..5c+4 on a dim background.
        Dataset<Row> images = spark.range(0, 2L * rows, 1, 8).select(
                expr("concat('img-', id)").as("id"), expr("cast(id % 10 as int)").as("label"),
                expr("transform(sequence(0, " + (size - 1) + "), i -> cast(if(floor(i / " + (SIDE * 5)
                        + ") = id % 10, 0.8, 0.05) as float))").as("pixels"));
        Dataset<Row> assigned = FoldSplitter.assign(images, 2, config.sweep().seed());
        Storage storage = new Storage(sc.hadoopConfiguration());
        RunLayout layout = new RunLayout(new org.apache.hadoop.fs.Path(scratch.toUri().toString()));
        TrainingShards shards = TrainingShards.folds(sc, storage, layout, assigned, 2L * rows, config);

        capAfterWarmUp(config, spec, labels, budget);
        TrialRunner runner = new TrialRunner(storage, layout, shards, new Fitter(sc, storage,
                config.data().shape(), labels, config.data().classes()), config.augment(), new RunGuard(sc));
        TrialResult result = runner.run(spec);
        System.err.println("trial " + (result.usable() ? "committed" : "failed: " + result.problem()));
        System.exit(result.usable() ? 0 : 1);
    }

    /**
     * Loads what a trial loads once (native libraries, BLAS buffers, DL4J's classes and workspaces)
     * by fitting one minibatch, then caps the data segment at what it is now plus {@code budget}.
     */
    private static void capAfterWarmUp(FoldwiseConfig config, TrialSpec spec, List<String> labels, long budget)
            throws Exception {
        int size = SIDE * SIDE;
        MultiLayerNetwork warm = new MultiLayerNetwork(NetworkFactory.configuration(spec.point().train(),
                config.data().shape(), labels.size()));
        warm.init();
        warm.fit(new DataSet(Nd4j.rand(BATCH, size), Nd4j.eye(10).getRows(IntStream.range(0, BATCH)
                .map(i -> i % 10).toArray())));
        long used = dataSegment();
        limitDataSegment(used + budget);
        System.err.println("data segment " + used + " bytes; capped at +" + budget);
    }

    /** VmData of this process, in bytes: what RLIMIT_DATA counts. */
    static long dataSegment() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmData:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmData in /proc/self/status");
    }

    private static void limitDataSegment(long bytes) throws Exception {
        Process p = new ProcessBuilder("prlimit", "--pid", String.valueOf(ProcessHandle.current().pid()),
                "--data=" + bytes + ":" + bytes).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("prlimit failed");
        }
    }
}
