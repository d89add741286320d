package io.foldwise.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;

import com.sun.management.OperatingSystemMXBean;
import io.foldwise.augment.Augmenter;
import io.foldwise.augment.Distorter;
import io.foldwise.augment.Distortion;
import io.foldwise.config.AugmentConfig;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.ingest.ImageSchema;
import io.foldwise.ingest.Ingestor;
import io.foldwise.ingest.LabeledImages;
import io.foldwise.train.SparkSessions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark, not a test: augmented images per second per core on the committed MNIST sample.
 * Measures {@link Distorter} on one thread (wall clock and that thread's CPU time, which a busy
 * machine does not distort), and {@link Augmenter} as a Spark job on {@code local[1]} (one core).
 * Prints a Markdown table for BENCHMARKS.md. It lives with the tests, not in the application, and
 * runs on the test classpath: {@code bench/augment.sh [seconds per measurement, default 3]
 * [training folder, default data/mnist-sample/train]}.
 */
public final class AugmentBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private AugmentBench() {
    }

    /** Runs every measurement and prints the table; see the class comment for the arguments. */
    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        String data = args.length > 1 ? args[1] : "data/mnist-sample/train";
        SparkSession spark = SparkSessions.getOrCreate("local[1]");
        spark.sparkContext().setLogLevel("WARN");
        List<String> rows = new ArrayList<>();
        FoldwiseConfig base = load(data);
        try (LabeledImages images = Ingestor.readTrain(spark, base.data(), base.ingest())) {
            List<float[]> pixels = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (Row r : images.frame().select(ImageSchema.ID, ImageSchema.PIXELS).collectAsList()) {
                ids.add(r.getString(0));
                pixels.add(Augmenter.pixels(r));
            }
            int h = base.data().shape().height();
            int w = base.data().shape().width();
            int c = base.data().shape().channels();
            String[][] variants = {
                {"defaults (rotate, shift, zoom, contrast, brightness; elastic p=0.5)"},
                {"geometric only (no elastic)", "augment.elastic.probability=0"},
                {"elastic on every copy", "augment.elastic.probability=1"},
                {"everything (shear 10, elastic p=1, noise 0.1, erase p=0.5)", "augment.shear=10",
                    "augment.elastic.probability=1", "augment.noise=0.1", "augment.erase.probability=0.5"},
            };
            for (String[] v : variants) {
                AugmentConfig cfg = load(data, Arrays.copyOfRange(v, 1, v.length)).augment();
                rows.add(pure(v[0], cfg, ids, pixels, h, w, c, seconds));
            }
            rows.add(spark(images.frame(), base.augment(), seconds));
        }
        System.out.println();
        System.out.println("| what | images | wall s | images/s (wall) | images/s per CPU-second |");
        System.out.println("|---|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        spark.stop();
    }

    private static FoldwiseConfig load(String data, String... overrides) {
        List<String> all = new ArrayList<>(List.of("data.train=" + data, "augment.copies=4"));
        all.addAll(List.of(overrides));
        return ConfigLoader.load(null, all);
    }

    /** Distorter alone on this thread: draw + apply, cycling over the images, for about {@code seconds}. */
    private static String pure(String name, AugmentConfig cfg, List<String> ids, List<float[]> pixels, int h, int w,
                               int c, double seconds) {
        float sink = run(cfg, ids, pixels, h, w, c, 0, 2 * ids.size()); // warm-up: JIT
        int n = 0;
        long wall0 = System.nanoTime();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        while (System.nanoTime() - wall0 < seconds * 1e9) {
            sink += run(cfg, ids, pixels, h, w, c, n, 500);
            n += 500;
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        double cpu = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9;
        if (Float.isNaN(sink)) {
            throw new IllegalStateException("NaN pixels");
        }
        return row("Distorter, 1 thread: " + name, n, wall, cpu);
    }

    /** Augments images {@code from .. from + n} (cycling), returning a value that depends on every result. */
    private static float run(AugmentConfig cfg, List<String> ids, List<float[]> pixels, int h, int w, int c, int from,
                             int n) {
        float sink = 0;
        for (int i = from; i < from + n; i++) {
            int k = i % ids.size();
            int copy = 1 + (i / ids.size()) % cfg.copies();
            float[] out = Distorter.apply(pixels.get(k), h, w, c, Distortion.draw(cfg, ids.get(k), copy),
                    (float) cfg.fill());
            sink += out[out.length / 2];
        }
        return sink;
    }

    /** Augmenter as a Spark job on local[1]: the frame is cached; every pixel of every copy is serialised. */
    private static String spark(Dataset<Row> frame, AugmentConfig cfg, double seconds) {
        Dataset<Row> augmented = Augmenter.augment(frame, cfg).where(col(Augmenter.COPY).gt(0));
        Row first = frame.first();
        long perImage = (long) first.getInt(first.fieldIndex(ImageSchema.HEIGHT))
                * first.getInt(first.fieldIndex(ImageSchema.WIDTH)) * first.getInt(first.fieldIndex(ImageSchema.CHANNELS));
        augmented.agg(sum(size(col(ImageSchema.PIXELS)))).collectAsList(); // warm-up
        long n = 0;
        long wall0 = System.nanoTime();
        long cpu0 = processCpu();
        while (System.nanoTime() - wall0 < seconds * 1e9) {
            // Summing every copy's pixel count makes Spark build and serialise every copy.
            n += augmented.agg(sum(size(col(ImageSchema.PIXELS)))).first().getLong(0) / perImage;
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        double cpu = (processCpu() - cpu0) / 1e9;
        return row("Augmenter (DataFrame flatMap), local[1], defaults, 4 copies per image (process CPU)", n, wall,
                cpu);
    }

    private static long processCpu() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String row(String name, long n, double wall, double cpu) {
        return String.format(Locale.ROOT, "| %s | %d | %.1f | %.0f | %.0f |", name, n, wall, n / wall, n / cpu);
    }
}
