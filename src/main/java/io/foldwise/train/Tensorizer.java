package io.foldwise.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import io.foldwise.config.ImageShape;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns image rows into pre-batched DataSets: one DataSet per minibatch (DL4J merges
 * single-example DataSets slowly). Features are flat CHW rows, as the model package expects;
 * labels are one-hot, or one 0/1 column for two classes. Rows are spread over partitions and
 * ordered by a seeded hash of their id, so the batches do not depend on how the input was
 * partitioned or ordered.
 */
public final class Tensorizer {
    private Tensorizer() {
    }

    /** Batches {@code images} (columns id, label, pixels) into {@code partitions} partitions. */
    public static JavaRDD<DataSet> batches(Dataset<Row> images, ImageShape shape, int numClasses, int batchSize,
                                           int partitions, long seed) {
        Dataset<Row> keyed = images
                .select(col("pixels"), col("label"), xxhash64(lit(seed), col("id")).as("_order"))
                .repartition(partitions, col("_order"))
                .sortWithinPartitions("_order");
        boolean failFirstAttempt = images.sparkSession().sparkContext().getConf()
                .getBoolean(FAIL_FIRST_ATTEMPT, false);
        return keyed.toJavaRDD().mapPartitions(new BatchFunction(shape, numClasses, batchSize, failFirstAttempt));
    }

    /**
     * Test hook, off unless a test sets this Spark property: every batching task fails on its first
     * attempt, so tests can prove that Spark's task retries (spark.task.maxFailures) carry a sweep.
     */
    public static final String FAIL_FIRST_ATTEMPT = "spark.foldwise.test.failFirstAttempt";

    /**
     * One image's pixels from HWC (as stored) to CHW (as DL4J's convolutional input expects), the
     * flat feature row the networks take, written into {@code dest} from {@code offset}.
     */
    static void toChw(List<Float> hwc, int height, int width, int channels, float[] dest, int offset) {
        int plane = height * width;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < channels; c++) {
                dest[offset + c * plane + p] = hwc.get(p * channels + c);
            }
        }
    }

    /** Builds DataSets of up to {@code batchSize} rows from one partition. */
    static final class BatchFunction implements FlatMapFunction<Iterator<Row>, DataSet> {
        private final int height;
        private final int width;
        private final int channels;
        private final int numClasses;
        private final int batchSize;
        private final boolean failFirstAttempt;

        BatchFunction(ImageShape shape, int numClasses, int batchSize, boolean failFirstAttempt) {
            this.failFirstAttempt = failFirstAttempt;
            this.height = shape.height();
            this.width = shape.width();
            this.channels = shape.channels();
            this.numClasses = numClasses;
            this.batchSize = batchSize;
        }

        @Override
        public Iterator<DataSet> call(Iterator<Row> rows) {
            TaskContext task = TaskContext.get();
            if (failFirstAttempt && task != null && task.attemptNumber() == 0) {
                throw new IllegalStateException("test hook " + FAIL_FIRST_ATTEMPT + ": failing attempt 0 of task "
                        + task.taskAttemptId());
            }
            List<DataSet> out = new ArrayList<>();
            int size = height * width * channels;
            int labelWidth = numClasses == 2 ? 1 : numClasses;
            float[] features = new float[batchSize * size];
            float[] labels = new float[batchSize * labelWidth];
            int n = 0;
            while (rows.hasNext()) {
                Row row = rows.next();
                List<Float> pixels = row.getList(0);
                toChw(pixels, features, n * size);
                int label = row.getInt(1);
                if (labelWidth == 1) {
                    labels[n] = label;
                } else {
                    labels[n * labelWidth + label] = 1f;
                }
                if (++n == batchSize) {
                    out.add(dataSet(features, labels, n, size, labelWidth));
                    features = new float[batchSize * size];
                    labels = new float[batchSize * labelWidth];
                    n = 0;
                }
            }
            if (n > 0) {
                out.add(dataSet(java.util.Arrays.copyOf(features, n * size),
                        java.util.Arrays.copyOf(labels, n * labelWidth), n, size, labelWidth));
            }
            return out.iterator();
        }

        private void toChw(List<Float> hwc, float[] dest, int offset) {
            Tensorizer.toChw(hwc, height, width, channels, dest, offset);
        }

        private static DataSet dataSet(float[] features, float[] labels, int n, int size, int labelWidth) {
            return new DataSet(Nd4j.create(features, new long[] {n, size}, 'c'),
                    Nd4j.create(labels, new long[] {n, labelWidth}, 'c'));
        }
    }
}
