package io.foldwise.train;

import io.foldwise.model.Outputs;
import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Evaluates a network on an RDD of batches where the data lives: each partition rebuilds the
 * network from broadcast parameters and returns one set of counts; the driver merges them. Loss
 * is computed from logits in numerically stable form (see {@link Outputs}).
 */
public final class Evaluator {
    private Evaluator() {
    }

    public static Evaluation evaluate(JavaSparkContext sc, MultiLayerNetwork net, JavaRDD<DataSet> batches,
                                      List<String> labels) {
        Broadcast<String> conf = sc.broadcast(net.getLayerWiseConfigurations().toJson());
        Broadcast<INDArray> params = sc.broadcast(net.params().dup());
        try {
            Counts total = batches.mapPartitions(new PartitionEvaluator(conf, params, labels.size()))
                    .fold(new Counts(labels.size()), Counts::merge);
            return total.toEvaluation(labels);
        } finally {
            conf.destroy();
            params.destroy();
        }
    }

    /** Evaluates one in-memory batch on the driver (used by tests and predict). */
    public static Evaluation evaluate(MultiLayerNetwork net, DataSet batch, List<String> labels) {
        Counts counts = new Counts(labels.size());
        counts.add(net, batch);
        return counts.toEvaluation(labels);
    }

    /** Executor side: the network rebuilt from its broadcast configuration and parameters. */
    static MultiLayerNetwork network(Broadcast<String> conf, Broadcast<INDArray> params) {
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(conf.value()));
        net.init(params.value(), true);
        return net;
    }

    /** Partial sums of one partition. */
    static final class Counts implements Serializable {
        final long[][] confusion;
        double lossSum;
        long count;

        Counts(int numClasses) {
            confusion = new long[numClasses][numClasses];
        }

        void add(MultiLayerNetwork net, DataSet batch) {
            boolean binary = confusion.length == 2;
            INDArray logits = Outputs.logits(net, batch.getFeatures());
            int[] actual = actualLabels(batch.getLabels(), binary);
            double[] losses = Outputs.crossEntropy(logits, actual, binary);
            int[] predicted = Outputs.predictions(logits, binary);
            for (int i = 0; i < actual.length; i++) {
                confusion[actual[i]][predicted[i]]++;
                lossSum += losses[i];
            }
            count += actual.length;
        }

        Counts merge(Counts other) {
            for (int i = 0; i < confusion.length; i++) {
                for (int j = 0; j < confusion.length; j++) {
                    confusion[i][j] += other.confusion[i][j];
                }
            }
            lossSum += other.lossSum;
            count += other.count;
            return this;
        }

        Evaluation toEvaluation(List<String> labels) {
            return new Evaluation(labels, confusion, count == 0 ? Double.NaN : lossSum / count, count);
        }

        private static int[] actualLabels(INDArray labels, boolean binary) {
            long n = labels.size(0);
            int[] out = new int[(int) n];
            if (binary) {
                for (int i = 0; i < n; i++) {
                    out[i] = labels.getDouble(i, 0) > 0.5 ? 1 : 0;
                }
            } else {
                INDArray argMax = labels.argMax(1);
                for (int i = 0; i < n; i++) {
                    out[i] = argMax.getInt(i);
                }
            }
            return out;
        }
    }

    private static final class PartitionEvaluator implements FlatMapFunction<Iterator<DataSet>, Counts> {
        private final Broadcast<String> conf;
        private final Broadcast<INDArray> params;
        private final int numClasses;

        PartitionEvaluator(Broadcast<String> conf, Broadcast<INDArray> params, int numClasses) {
            this.conf = conf;
            this.params = params;
            this.numClasses = numClasses;
        }

        @Override
        public Iterator<Counts> call(Iterator<DataSet> batches) {
            Counts counts = new Counts(numClasses);
            if (!batches.hasNext()) {
                return Collections.singletonList(counts).iterator();
            }
            MultiLayerNetwork net = network(conf, params);
            while (batches.hasNext()) {
                counts.add(net, batches.next());
            }
            return Collections.singletonList(counts).iterator();
        }
    }
}
