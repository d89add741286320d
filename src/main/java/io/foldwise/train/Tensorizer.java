package io.foldwise.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import io.foldwise.config.ImageShape;
import io.foldwise.TaskFaults;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
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
        return TaskFaults.failFirstAttempts(keyed.toJavaRDD())
                .mapPartitions(new BatchFunction(shape, numClasses, batchSize));
    }

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

    /**
     * Builds DataSets of up to {@code batchSize} rows from one partition, lazily: each minibatch is
     * built when the consumer asks for it, so a task holds one minibatch at a time, not the partition.
     */
    static final class BatchFunction implements FlatMapFunction<Iterator<Row>, DataSet> {
        private final int height;
        private final int width;
        private final int channels;
        private final int numClasses;
        private final int batchSize;

        BatchFunction(ImageShape shape, int numClasses, int batchSize) {
            this.height = shape.height();
            this.width = shape.width();
            this.channels = shape.channels();
            this.numClasses = numClasses;
            this.batchSize = batchSize;
        }

        @Override
        public Iterator<DataSet> call(Iterator<Row> rows) {
            int size = height * width * channels;
            int labelWidth = numClasses == 2 ? 1 : numClasses;
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public DataSet next() {
                    if (!rows.hasNext()) {
                        throw new NoSuchElementException();
                    }
                    float[] features = new float[batchSize * size];
                    float[] labels = new float[batchSize * labelWidth];
                    int n = 0;
                    while (n < batchSize && rows.hasNext()) {
                        Row row = rows.next();
                        toChw(row.getList(0), features, n * size);
                        int label = row.getInt(1);
                        if (labelWidth == 1) {
                            labels[n] = label;
                        } else {
                            labels[n * labelWidth + label] = 1f;
                        }
                        n++;
                    }
                    if (n < batchSize) {
                        features = Arrays.copyOf(features, n * size);
                        labels = Arrays.copyOf(labels, n * labelWidth);
                    }
                    return dataSet(features, labels, n, size, labelWidth);
                }
            };
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
