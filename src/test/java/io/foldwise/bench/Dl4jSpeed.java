package io.foldwise.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** Scratch: plain DL4J images/s for 784-256-10 at batch 32 under settings given as system properties. */
public final class Dl4jSpeed {
    public static void main(String[] args) {
        int hidden = Integer.getInteger("hidden", 256);
        boolean sgd = Boolean.getBoolean("sgd");
        String ws = System.getProperty("ws", "ENABLED");
        if (Boolean.getBoolean("nogc")) {
            Nd4j.getMemoryManager().togglePeriodicGc(false);
        }
        int n = 8000, batch = 32;
        Random r = new Random(1);
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < n / batch; b++) {
            float[] f = new float[batch * 784];
            float[] l = new float[batch * 10];
            for (int i = 0; i < f.length; i++) f[i] = r.nextFloat();
            for (int i = 0; i < batch; i++) l[i * 10 + r.nextInt(10)] = 1;
            batches.add(new DataSet(Nd4j.create(f, new long[] {batch, 784}, 'c'), Nd4j.create(l, new long[] {batch, 10}, 'c')));
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(sgd ? new Sgd(1e-2) : new Adam(1e-3)).weightInit(WeightInit.XAVIER).l2(1e-4)
                .trainingWorkspaceMode(WorkspaceMode.valueOf(ws)).inferenceWorkspaceMode(WorkspaceMode.valueOf(ws))
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(hidden).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(new LossMCXENT()).nIn(hidden).nOut(10).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (int epoch = 0; epoch < 4; epoch++) {
            long t0 = System.nanoTime();
            for (DataSet d : batches) net.fit(d);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("epoch %d: %.2f s, %.0f images/s, %.2f ms/iter%n", epoch, s, n / s, s * 1000 / batches.size());
        }
    }
}
