package io.foldwise.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Benchmark tooling (not a test): writes N synthetic MNIST-like digits as Parquet, for
 * {@code bench/scale.sh}. Columns: {@code id} (long), {@code label} (the class name "0"-"9") and
 * {@code image}, an {@code array<tinyint>} of 28 x 28 grey values 0-255 (read by Foldwise as
 * unsigned; no PNG decoding at ingest).
 *
 * <p>Each digit is a coarse seven-segment glyph of its class with a random position (shift up to
 * +-3 pixels), glyph size, stroke width and ink, plus Gaussian noise over the whole image and a
 * few speckles: learnable by an MLP but not trivially. Every row depends only on (seed, id), so
 * the same arguments write the same rows on any partitioning; rows are generated inside Spark
 * tasks, a partition at a time, and never held together in one JVM.
 *
 * <p>Arguments: output path, N, seed [, partitions (default: one per 50,000 images, at least 2)].
 */
public final class SyntheticDigits {
    static final int SIDE = 28;
    private static final int PER_PARTITION = 50_000;
    // Segments a (top), b (top right), c (bottom right), d (bottom), e (bottom left), f (top left),
    // g (middle), per digit 0-9.
    private static final String[] SEGMENTS = {
        "abcdef", "bc", "abged", "abgcd", "fgbc", "afgcd", "afgedc", "abc", "abcdefg", "abcdfg"};

    private SyntheticDigits() {
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: SyntheticDigits OUTPUT N SEED [PARTITIONS]");
            System.exit(2);
        }
        String output = args[0];
        long n = Long.parseLong(args[1]);
        long seed = Long.parseLong(args[2]);
        int partitions = args.length > 3 ? Integer.parseInt(args[3])
                : (int) Math.max(2, (n + PER_PARTITION - 1) / PER_PARTITION);
        SparkSession spark = SparkSession.builder().appName("synthetic-digits")
                .master(System.getProperty("spark.master", "local[2]"))
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            write(spark, output, n, seed, partitions);
        } finally {
            spark.stop();
        }
    }

    static StructType schema() {
        return new StructType()
                .add("id", DataTypes.LongType, false)
                .add("label", DataTypes.StringType, false)
                .add("image", DataTypes.createArrayType(DataTypes.ByteType, false), false);
    }

    static void write(SparkSession spark, String output, long n, long seed, int partitions) {
        List<Integer> parts = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            parts.add(p);
        }
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(parts, partitions)
                .mapPartitions(it -> {
                    int p = it.next();
                    long from = n * p / partitions;
                    long to = n * (p + 1) / partitions;
                    return new Iterator<Row>() {
                        long id = from;

                        @Override
                        public boolean hasNext() {
                            return id < to;
                        }

                        @Override
                        public Row next() {
                            long i = id++;
                            SplittableRandom r = new SplittableRandom(mix(seed, i));
                            int label = r.nextInt(10);
                            return RowFactory.create(i, Integer.toString(label), digit(label, r));
                        }
                    };
                });
        spark.createDataFrame(rows, schema()).write().mode(SaveMode.Overwrite).parquet(output);
    }

    static long mix(long seed, long id) {
        long z = seed * 0x9E3779B97F4A7C15L + id;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One 28 x 28 image of class {@code label}, row-major grey values 0-255 as (signed) bytes. */
    static byte[] digit(int label, SplittableRandom r) {
        float[] img = new float[SIDE * SIDE];
        int w = 10 + r.nextInt(5);          // glyph width 10-14
        int h = 16 + r.nextInt(5);          // glyph height 16-20
        int t = 2 + r.nextInt(2);           // stroke width 2-3
        int x0 = (SIDE - w) / 2 + r.nextInt(7) - 3;
        int y0 = (SIDE - h) / 2 + r.nextInt(7) - 3;
        float ink = 0.6f + 0.4f * (float) r.nextDouble();
        int mid = y0 + h / 2 - t / 2;
        for (char s : SEGMENTS[label].toCharArray()) {
            switch (s) {
                case 'a' -> fill(img, x0, y0, w, t, ink);
                case 'b' -> fill(img, x0 + w - t, y0, t, h / 2 + 1, ink);
                case 'c' -> fill(img, x0 + w - t, mid, t, h - (mid - y0), ink);
                case 'd' -> fill(img, x0, y0 + h - t, w, t, ink);
                case 'e' -> fill(img, x0, mid, t, h - (mid - y0), ink);
                case 'f' -> fill(img, x0, y0, t, h / 2 + 1, ink);
                case 'g' -> fill(img, x0, mid, w, t, ink);
                default -> throw new IllegalStateException("segment " + s);
            }
        }
        byte[] out = new byte[SIDE * SIDE];
        for (int i = 0; i < out.length; i++) {
            float v = img[i] + 0.12f * (float) nextGaussian(r);
            if (r.nextInt(50) == 0) {
                v += 0.5f;                  // speckle
            }
            int g = Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
            out[i] = (byte) g;              // 128-255 wrap to negative; Foldwise reads tinyint as unsigned
        }
        return out;
    }

    private static void fill(float[] img, int x, int y, int w, int h, float ink) {
        for (int yy = Math.max(0, y); yy < Math.min(SIDE, y + h); yy++) {
            for (int xx = Math.max(0, x); xx < Math.min(SIDE, x + w); xx++) {
                img[yy * SIDE + xx] = ink;
            }
        }
    }

    private static double nextGaussian(SplittableRandom r) {
        // Irwin-Hall approximation (sum of 4 uniforms): cheap, deterministic, close enough for noise.
        return (r.nextDouble() + r.nextDouble() + r.nextDouble() + r.nextDouble() - 2.0) * Math.sqrt(3.0);
    }
}
