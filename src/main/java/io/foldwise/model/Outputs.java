package io.foldwise.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Numerically stable evaluation of a {@link NetworkFactory} network from its logits (the output
 * layer's pre-activation), rather than from its probabilities: log(softmax) or log(sigmoid) of a
 * saturated probability is -Infinity, while log-sum-exp and BCE-with-logits stay finite.
 *
 * <p>{@code binary} means the network has one sigmoid output unit (two classes); otherwise it has
 * one softmax unit per class. Arithmetic is done in double precision.
 */
public final class Outputs {
    private Outputs() {
    }

    /**
     * The output layer's pre-activation {@code z = h·W + b} for each row of {@code features}, in
     * inference mode (no dropout); shape [examples, output units]. Not thread-safe, like the network.
     */
    public static INDArray logits(MultiLayerNetwork net, INDArray features) {
        int out = net.getnLayers() - 1;
        DataType type = net.params().dataType();
        List<INDArray> temporaries = new ArrayList<>();
        // DL4J's feed-forward does not cast its input; mixing a DOUBLE batch with FLOAT params fails.
        INDArray h = features.dataType() == type ? features : keep(temporaries, features.castTo(type));
        if (out > 0) {
            // Element 0 is the input itself, element i+1 the activations of layer i.
            List<INDArray> activations = net.feedForwardToLayer(out - 1, h, false);
            temporaries.addAll(activations.subList(1, activations.size()));
            h = activations.get(out);
        }
        InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(out);
        if (pre != null) {
            h = keep(temporaries, pre.preProcess(h, (int) h.size(0), LayerWorkspaceMgr.noWorkspaces()));
        }
        Layer output = net.getLayer(out);
        INDArray w = output.getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray b = output.getParam(DefaultParamInitializer.BIAS_KEY);
        INDArray z = h.mmul(w).addiRowVector(b);
        // Freed now rather than when the collector finds their small Java owners: a large heap lets
        // native garbage pile up to any size (views are not closeable and stay with their base).
        for (INDArray t : temporaries) {
            if (t != features && t.closeable() && !t.wasClosed()) {
                t.close();
            }
        }
        return z;
    }

    private static INDArray keep(List<INDArray> temporaries, INDArray a) {
        temporaries.add(a);
        return a;
    }

    /**
     * Per-example data loss (no regularisation), natural log. Multi-class: {@code logsumexp(z) - z[y]}.
     * Binary: {@code max(z,0) - z·y + log(1 + exp(-|z|))}, which is binary cross-entropy of sigmoid(z).
     *
     * @param labels class indices; for binary, 0 or 1
     * @throws IllegalArgumentException if shapes or labels do not match
     */
    public static double[] crossEntropy(INDArray logits, int[] labels, boolean binary) {
        Matrix z = Matrix.of(logits, binary);
        if (labels.length != z.rows) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries but logits has " + z.rows + " rows");
        }
        double[] loss = new double[z.rows];
        for (int i = 0; i < z.rows; i++) {
            int y = labels[i];
            int classes = binary ? 2 : z.cols;
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("label " + y + " of example " + i + " is not in [0, " + classes + ")");
            }
            if (binary) {
                double v = z.get(i, 0);
                loss[i] = Math.max(v, 0) - v * y + Math.log1p(Math.exp(-Math.abs(v)));
            } else {
                loss[i] = logSumExp(z, i) - z.get(i, y);
            }
        }
        return loss;
    }

    /**
     * Class probabilities, computed stably: softmax shifted by the row maximum, or a sigmoid that
     * never exponentiates a positive number. Same shape and data type as {@code logits}.
     */
    public static INDArray probabilities(INDArray logits, boolean binary) {
        Matrix z = Matrix.of(logits, binary);
        double[] p = new double[z.rows * z.cols];
        for (int i = 0; i < z.rows; i++) {
            if (binary) {
                p[i] = sigmoid(z.get(i, 0));
                continue;
            }
            double max = rowMax(z, i);
            double sum = 0;
            for (int j = 0; j < z.cols; j++) {
                p[i * z.cols + j] = Math.exp(z.get(i, j) - max);
                sum += p[i * z.cols + j];
            }
            for (int j = 0; j < z.cols; j++) {
                p[i * z.cols + j] /= sum;
            }
        }
        return Nd4j.create(p, new long[] {z.rows, z.cols}, DataType.DOUBLE).castTo(logits.dataType());
    }

    /**
     * Each example's probability of each of {@code numClasses} classes, in double precision (for two
     * classes the one sigmoid output is class 1's, class 0's is its complement).
     */
    public static double[][] classProbabilities(INDArray logits, int numClasses) {
        boolean binary = numClasses == 2;
        INDArray p = probabilities(logits.castTo(DataType.DOUBLE), binary);
        int n = (int) logits.size(0);
        double[][] out = new double[n][numClasses];
        for (int i = 0; i < n; i++) {
            if (binary) {
                out[i][1] = p.getDouble(i, 0);
                out[i][0] = 1 - out[i][1];
            } else {
                for (int c = 0; c < numClasses; c++) {
                    out[i][c] = p.getDouble(i, c);
                }
            }
        }
        return out;
    }

    /** Predicted class index per example: the largest logit (first on ties), or z > 0 for binary. */
    public static int[] predictions(INDArray logits, boolean binary) {
        Matrix z = Matrix.of(logits, binary);
        int[] out = new int[z.rows];
        for (int i = 0; i < z.rows; i++) {
            if (binary) {
                out[i] = z.get(i, 0) > 0 ? 1 : 0;
                continue;
            }
            int best = 0;
            for (int j = 1; j < z.cols; j++) {
                if (z.get(i, j) > z.get(i, best)) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    private static double logSumExp(Matrix z, int row) {
        double max = rowMax(z, row);
        double sum = 0;
        for (int j = 0; j < z.cols; j++) {
            sum += Math.exp(z.get(row, j) - max);
        }
        return max + Math.log(sum);
    }

    private static double rowMax(Matrix z, int row) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < z.cols; j++) {
            max = Math.max(max, z.get(row, j));
        }
        return max;
    }

    private static double sigmoid(double v) {
        if (v >= 0) {
            return 1 / (1 + Math.exp(-v));
        }
        double e = Math.exp(v);
        return e / (1 + e);
    }

    /** Logits copied once into a row-major double array, with their shape checked. */
    private record Matrix(double[] values, int rows, int cols) {
        static Matrix of(INDArray logits, boolean binary) {
            if (logits.rank() != 2) {
                throw new IllegalArgumentException("logits must be [examples, units], got shape "
                        + Arrays.toString(logits.shape()));
            }
            int rows = (int) logits.size(0);
            int cols = (int) logits.size(1);
            if (binary ? cols != 1 : cols < 2) {
                throw new IllegalArgumentException((binary ? "binary logits must have 1 column" : "multi-class logits must have >= 2 columns")
                        + ", got " + cols);
            }
            // dup('c') gives a fresh, dense, row-major buffer even when logits is a view.
            double[] values = logits.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            return new Matrix(values, rows, cols);
        }

        double get(int row, int col) {
            return values[row * cols + col];
        }
    }
}
