package io.foldwise.bench;

import io.foldwise.config.ConfigLoader;
import io.foldwise.config.TrainConfig;
import io.foldwise.model.NetworkFactory;
import io.foldwise.config.ImageShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Benchmark (not a test): where one DL4J iteration's time goes for 784-256-10 at batch 32, the
 * network Foldwise builds ({@link NetworkFactory}) on random MNIST-shaped data, one OpenMP thread.
 * {@code bench/dl4j-iteration.sh} runs it once per JVM setting (JavaCPP's limits are fixed per JVM)
 * and prints one table. Prints: ms per iteration of fit with Adam and with SGD (the updater's
 * share), of the layers' matrix multiplies alone, of score computation, and images/s.
 *
 * <p>Argument: a label for the row.
 */
public final class Dl4jIteration {
    private static final int N = 8000;
    private static final int BATCH = 32;

    private Dl4jIteration() {
    }

    public static void main(String[] args) {
        if (Boolean.getBoolean("foldwise.bench.noPeriodicGc")) {
            Nd4j.getMemoryManager().togglePeriodicGc(false);
        }
        Random r = new Random(1);
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < N / BATCH; b++) {
            float[] f = new float[BATCH * 784];
            float[] l = new float[BATCH * 10];
            for (int i = 0; i < f.length; i++) {
                f[i] = r.nextFloat();
            }
            for (int i = 0; i < BATCH; i++) {
                l[i * 10 + r.nextInt(10)] = 1;
            }
            batches.add(new DataSet(Nd4j.create(f, new long[] {BATCH, 784}, 'c'),
                    Nd4j.create(l, new long[] {BATCH, 10}, 'c')));
        }
        double adam = fitMs(net("adam"), batches);
        double sgd = fitMs(net("sgd"), batches);
        double mmul = mmulMs();
        MultiLayerNetwork net = net("adam");
        long t0 = System.nanoTime();
        for (int rep = 0; rep < 3; rep++) {
            for (DataSet d : batches) {
                net.score(d);
            }
        }
        double score = (System.nanoTime() - t0) / 1e6 / (3.0 * batches.size());
        System.out.printf(Locale.ROOT, "ROW|%s|%.2f|%.0f|%.2f|%.2f|%.2f%n", args.length > 0 ? args[0] : "default",
                adam, BATCH * 1000 / adam, sgd, mmul, score);
    }

    private static MultiLayerNetwork net(String updater) {
        TrainConfig train = ConfigLoader.load(null, List.of("train.architecture={mlp=[256]}", "train.updater=" + updater,
                "train.learningRate=1e-3", "train.l2=1e-4")).train();
        return NetworkFactory.create(train, new ImageShape(28, 28, 1), 10);
    }

    /** Steady-state ms per fit iteration: one epoch of warm-up, then the median of three epochs. */
    private static double fitMs(MultiLayerNetwork net, List<DataSet> batches) {
        double[] epochs = new double[4];
        for (int e = 0; e < epochs.length; e++) {
            long t0 = System.nanoTime();
            for (DataSet d : batches) {
                net.fit(d);
            }
            epochs[e] = (System.nanoTime() - t0) / 1e6 / batches.size();
        }
        double[] steady = {epochs[1], epochs[2], epochs[3]};
        java.util.Arrays.sort(steady);
        return steady[1];
    }

    /** The arithmetic of one iteration: forward and backward matrix multiplies of both layers. */
    private static double mmulMs() {
        INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, 784);
        INDArray w1 = Nd4j.rand(DataType.FLOAT, 784, 256);
        INDArray h = Nd4j.rand(DataType.FLOAT, BATCH, 256);
        INDArray w2 = Nd4j.rand(DataType.FLOAT, 256, 10);
        INDArray d2 = Nd4j.rand(DataType.FLOAT, BATCH, 10);
        int reps = 2000;
        for (int i = 0; i < 200; i++) {
            x.mmul(w1);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            x.mmul(w1);                       // forward, layer 1
            h.mmul(w2);                       // forward, output
            h.transpose().mmul(d2);           // weight gradient, output
            d2.mmul(w2.transpose());          // back to the hidden layer
            x.transpose().mmul(h);            // weight gradient, layer 1
        }
        return (System.nanoTime() - t0) / 1e6 / reps;
    }
}
