package io.foldwise.train;

import io.foldwise.train.Shards.Record;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Streams shard records into minibatches, holding at most one shuffle buffer and one minibatch
 * (its native memory freed as soon as the sink returns): memory per task does not grow with the
 * data. The shuffle is seeded: the same seed gives the same minibatches on any cluster.
 */
final class ShardStream {
    private final Configuration conf;
    private final int size;
    private final int numClasses;

    ShardStream(Configuration conf, int size, int numClasses) {
        this.conf = conf;
        this.size = size;
        this.numClasses = numClasses;
    }

    /** Every kept record of {@code files}, in file order. */
    void forEach(List<String> files, Predicate<Record> keep, Consumer<Record> sink) {
        for (String f : files) {
            try (Shards.Reader reader = new Shards.Reader(conf, f)) {
                while (reader.hasNext()) {
                    Record r = reader.next();
                    if (keep.test(r)) {
                        sink.accept(r);
                    }
                }
            }
        }
    }

    /**
     * The kept records of {@code files} as minibatches of {@code batchSize} (the last one may be
     * smaller), in an order shuffled by {@code rng}: the files in random order, then the records
     * through {@code buffer}. Data that fits the buffer is shuffled uniformly, every epoch anew.
     */
    void minibatches(List<String> files, Predicate<Record> keep, int batchSize, ShuffleBuffer buffer, Random rng,
                     Consumer<DataSet> sink) {
        List<String> order = new ArrayList<>(files);
        Collections.shuffle(order, rng);
        Batcher batcher = new Batcher(batchSize, sink);
        buffer.reset();
        forEach(order, keep, r -> buffer.offer(r.features(), r.label(), rng, batcher));
        buffer.drain(rng, batcher);
        batcher.flush();
    }

    /** The kept records of {@code files}, in file order, as minibatches of {@code batchSize}. */
    void batches(List<String> files, Predicate<Record> keep, int batchSize, Consumer<DataSet> sink) {
        Batcher batcher = new Batcher(batchSize, sink);
        forEach(files, keep, r -> batcher.add(r.features(), r.label()));
        batcher.flush();
    }

    /**
     * Fills minibatch arrays and hands each full one on as a DataSet. Full minibatches share one
     * pair of native arrays, refilled in place: a fresh native allocation per minibatch (and its
     * release) cost about a third of a small network's iteration. Every sink is done with a
     * minibatch when it returns, so refilling it for the next one is safe; {@link #flush} frees them.
     */
    final class Batcher {
        private final int batchSize;
        private final Consumer<DataSet> sink;
        private final int labelWidth = numClasses == 2 ? 1 : numClasses;
        private final float[] features;
        private final float[] labels;
        private INDArray nativeFeatures;
        private INDArray nativeLabels;
        private int n;

        Batcher(int batchSize, Consumer<DataSet> sink) {
            this.batchSize = batchSize;
            this.sink = sink;
            features = new float[batchSize * size];
            labels = new float[batchSize * labelWidth];
        }

        void add(float[] chw, int label) {
            System.arraycopy(chw, 0, features, n * size, size);
            if (labelWidth == 1) {
                labels[n] = label;
            } else {
                labels[n * labelWidth + label] = 1f;
            }
            if (++n == batchSize) {
                if (nativeFeatures == null) {
                    nativeFeatures = Nd4j.create(DataType.FLOAT, batchSize, size);
                    nativeLabels = Nd4j.create(DataType.FLOAT, batchSize, labelWidth);
                }
                nativeFeatures.data().setData(features);
                nativeLabels.data().setData(labels);
                emit(nativeFeatures, nativeLabels);
            }
        }

        /** Hands on the last, partial minibatch and frees the native arrays. */
        void flush() {
            if (n > 0) {
                INDArray f = Nd4j.create(Arrays.copyOf(features, n * size), new long[] {n, size}, 'c');
                INDArray l = Nd4j.create(Arrays.copyOf(labels, n * labelWidth), new long[] {n, labelWidth}, 'c');
                emit(f, l);
                f.close();
                l.close();
            }
            if (nativeFeatures != null) {
                // Freed now: ND4J would free them only once the collector finds their small Java
                // owners, and a large heap lets such garbage pile up to any size.
                nativeFeatures.close();
                nativeLabels.close();
                nativeFeatures = null;
                nativeLabels = null;
            }
        }

        private void emit(INDArray f, INDArray l) {
            sink.accept(new DataSet(f, l));
            Arrays.fill(labels, 0f);
            n = 0;
        }
    }

    /**
     * A bounded shuffle buffer (reservoir style): once full, each new record replaces a random
     * slot whose record goes out. Allocated once per task and reused across epochs.
     */
    static final class ShuffleBuffer {
        private final float[][] slots;
        private final int[] labels;
        private final int size;
        private int n;

        /** Slots are allocated as they fill: small data never touches most of a large buffer. */
        ShuffleBuffer(int capacity, int size) {
            this.slots = new float[capacity][];
            this.labels = new int[capacity];
            this.size = size;
        }

        void reset() {
            n = 0;
        }

        void offer(float[] chw, int label, Random rng, Batcher out) {
            if (n < slots.length) {
                if (slots[n] == null) {
                    slots[n] = new float[size];
                }
                System.arraycopy(chw, 0, slots[n], 0, size);
                labels[n++] = label;
                return;
            }
            int j = rng.nextInt(slots.length);
            out.add(slots[j], labels[j]);
            System.arraycopy(chw, 0, slots[j], 0, size);
            labels[j] = label;
        }

        void drain(Random rng, Batcher out) {
            for (int i = n - 1; i > 0; i--) { // Fisher-Yates
                int j = rng.nextInt(i + 1);
                float[] s = slots[i];
                slots[i] = slots[j];
                slots[j] = s;
                int l = labels[i];
                labels[i] = labels[j];
                labels[j] = l;
            }
            for (int i = 0; i < n; i++) {
                out.add(slots[i], labels[i]);
            }
            n = 0;
        }
    }
}
