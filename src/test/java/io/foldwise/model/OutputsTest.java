package io.foldwise.model;

import static io.foldwise.model.Nets.MNIST;
import static io.foldwise.model.Nets.SEED_CNN;
import static io.foldwise.model.Nets.train;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.foldwise.config.ImageShape;
import java.util.Arrays;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class OutputsTest {

    /** Flat rows of uniform [0,1) pixels. */
    private static INDArray features(int rows, ImageShape shape, long seed) {
        Random r = new Random(seed);
        float[] v = new float[rows * shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        return Nd4j.create(v, new long[] {rows, shape.size()});
    }

    private static int[] labels(int rows, int classes, long seed) {
        Random r = new Random(seed);
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = r.nextInt(classes);
        }
        return y;
    }

    /** Biases start at 0, which would hide a logit that forgot "+ b": give every layer random ones. */
    private static MultiLayerNetwork withRandomBiases(MultiLayerNetwork net) {
        for (Layer l : net.getLayers()) {
            if (l.numParams() > 0) {
                INDArray b = l.getParam("b");
                b.assign(Nd4j.rand(DataType.FLOAT, b.shape()).subi(0.5));
            }
        }
        return net;
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        assertThat(a.shape()).isEqualTo(b.shape());
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    @ParameterizedTest(name = "{0} on {1}x{2}x{3}, {4} classes")
    @CsvSource(delimiter = ';', value = {
            "train.architecture={mlp=[32,16]};28;28;1;10",
            "train.architecture={mlp=[]};28;28;1;10", // the output layer is the only layer
            "train.architecture={mlp=[16],activation=tanh};28;28;1;2",
            "train.architecture={cnn=[{conv=4,kernel=3},{pool=max,kernel=2}]};8;8;3;4", // CNN straight into the output
            SEED_CNN + ";28;28;1;10",
            SEED_CNN + ";28;28;1;2"})
    void probabilitiesFromLogitsAgreeWithTheNetworksOutput(String arch, int h, int w, int c, int classes) {
        ImageShape shape = new ImageShape(h, w, c);
        MultiLayerNetwork net = withRandomBiases(NetworkFactory.create(train(arch), shape, classes));
        INDArray x = features(6, shape, 3);
        boolean binary = classes == 2;

        INDArray z = Outputs.logits(net, x);
        INDArray expected = net.output(x, false);
        assertThat(z.shape()).containsExactly(6, binary ? 1 : classes);
        assertThat(maxAbsDiff(Outputs.probabilities(z, binary), expected)).isLessThan(1e-5);

        // Predictions are the most probable class, or p > 0.5 for binary.
        int[] predicted = Outputs.predictions(z, binary);
        for (int i = 0; i < 6; i++) {
            int want = binary ? (expected.getDouble(i, 0) > 0.5 ? 1 : 0) : expected.getRow(i).argMax().getInt(0);
            assertThat(predicted[i]).as("example %d", i).isEqualTo(want);
        }

        // A DOUBLE batch gives the same logits as the FLOAT one (cast to the network's type).
        assertThat(maxAbsDiff(Outputs.logits(net, x.castTo(DataType.DOUBLE)), z)).isLessThan(1e-6);
    }

    @ParameterizedTest
    @CsvSource({"10", "2"})
    void meanCrossEntropyIsDl4jsScoreWithoutTheRegularisation(int classes) {
        boolean binary = classes == 2;
        // λ large enough that forgetting to subtract it would show far beyond the tolerance.
        MultiLayerNetwork net = withRandomBiases(NetworkFactory.create(train(SEED_CNN, "train.l2=0.01"), MNIST, classes));
        int n = 20;
        INDArray x = features(n, MNIST, 11);
        int[] y = labels(n, classes, 12);
        INDArray labels = binary ? Nd4j.zeros(DataType.FLOAT, n, 1) : Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            if (binary) {
                labels.putScalar(i, 0, y[i]);
            } else {
                labels.putScalar(i, y[i], 1.0);
            }
        }

        double mean = Arrays.stream(Outputs.crossEntropy(Outputs.logits(net, x), y, binary)).average().orElseThrow();
        // BaseOutputLayer.computeScore: sum of per-example losses / minibatch size, plus the
        // network's regularisation score (0.5 λ Σ w², not divided by the minibatch size).
        double score = net.score(new DataSet(x, labels), false);
        double regularisation = net.calcRegularizationScore(true);
        assertThat(regularisation).isGreaterThan(0.01);
        assertThat(mean).isCloseTo(score - regularisation, within(1e-4 * Math.max(1, mean)));
    }

    @Test
    void multiClassCrossEntropyMatchesTheNaiveFormulaOnModerateLogits() {
        double[][] z = {{0.5, -1.2, 2.0}, {3.0, 0.1, -0.7}, {-2.0, -2.0, 1.5}};
        int[] y = {2, 1, 0};
        double[] loss = Outputs.crossEntropy(Nd4j.createFromArray(z), y, false);
        for (int i = 0; i < z.length; i++) {
            double sum = Arrays.stream(z[i]).map(Math::exp).sum();
            assertThat(loss[i]).isCloseTo(-Math.log(Math.exp(z[i][y[i]]) / sum), within(1e-12));
        }
        INDArray p = Outputs.probabilities(Nd4j.createFromArray(z), false);
        assertThat(p.getDouble(0, 2)).isCloseTo(Math.exp(2.0) / Arrays.stream(z[0]).map(Math::exp).sum(), within(1e-12));
    }

    @Test
    void binaryCrossEntropyMatchesTheNaiveFormulaOnModerateLogits() {
        double[] z = {-3.0, -0.5, 0.0, 0.7, 4.0, 1.3};
        int[] y = {0, 1, 1, 0, 1, 1};
        double[] loss = Outputs.crossEntropy(Nd4j.createFromArray(new double[][] {{z[0]}, {z[1]}, {z[2]}, {z[3]}, {z[4]},
                {z[5]}}), y, true);
        for (int i = 0; i < z.length; i++) {
            double p = 1 / (1 + Math.exp(-z[i]));
            double naive = -(y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p));
            assertThat(loss[i]).as("z=%s y=%s", z[i], y[i]).isCloseTo(naive, within(1e-12));
        }
    }

    @Test
    void extremeMultiClassLogitsStayFiniteAndExact() {
        double[][] z = {{1000, -1000, 0}, {1000, -1000, 0}, {-1000, -1000, -1000}};
        int[] y = {1, 0, 2};
        // The naive form overflows: exp(1000) is Infinity and Infinity/Infinity is NaN.
        double naive = Math.log(Math.exp(z[0][1]) / Arrays.stream(z[0]).map(Math::exp).sum());
        assertThat(Double.isFinite(naive)).isFalse();

        double[] loss = Outputs.crossEntropy(Nd4j.createFromArray(z), y, false);
        assertThat(loss[0]).isCloseTo(2000, within(1e-9)); // logsumexp = 1000, minus z_y = -1000
        assertThat(loss[1]).isCloseTo(0, within(1e-9));
        assertThat(loss[2]).isCloseTo(Math.log(3), within(1e-9)); // equal logits: uniform

        INDArray p = Outputs.probabilities(Nd4j.createFromArray(z), false);
        assertThat(p.getDouble(0, 0)).isEqualTo(1.0);
        assertThat(p.getDouble(0, 1)).isEqualTo(0.0);
        assertThat(p.getDouble(2, 1)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(Outputs.predictions(Nd4j.createFromArray(z), false)).containsExactly(0, 0, 0);
    }

    @Test
    void extremeBinaryLogitsStayFiniteAndExact() {
        INDArray z = Nd4j.createFromArray(new double[][] {{1000}, {1000}, {-1000}, {-1000}});
        int[] y = {0, 1, 1, 0};
        // The naive form: log(sigmoid(-1000)) = log(0) = -Infinity.
        assertThat(Double.isFinite(Math.log(1 / (1 + Math.exp(1000))))).isFalse();

        double[] loss = Outputs.crossEntropy(z, y, true);
        assertThat(loss).containsExactly(new double[] {1000, 0, 1000, 0}, within(1e-9));
        INDArray p = Outputs.probabilities(z, true);
        assertThat(p.getDouble(0, 0)).isEqualTo(1.0);
        assertThat(p.getDouble(2, 0)).isEqualTo(0.0);
        assertThat(Outputs.predictions(z, true)).containsExactly(1, 1, 0, 0);
    }

    @Test
    void probabilitiesKeepTheLogitsShapeAndType() {
        INDArray z = Nd4j.createFromArray(new float[][] {{1f, 2f, 3f}, {0f, 0f, 0f}});
        INDArray p = Outputs.probabilities(z, false);
        assertThat(p.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(p.shape()).containsExactly(2, 3);
        assertThat(p.sum(1).getDouble(0)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void mismatchedShapesAndLabelsAreRejected() {
        INDArray multi = Nd4j.createFromArray(new double[][] {{1, 2, 3}});
        assertThatThrownBy(() -> Outputs.crossEntropy(multi, new int[] {3}, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 3");
        assertThatThrownBy(() -> Outputs.crossEntropy(multi, new int[] {0, 1}, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 entries");
        assertThatThrownBy(() -> Outputs.crossEntropy(multi, new int[] {0}, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 column");
        INDArray binary = Nd4j.createFromArray(new double[][] {{0.3}});
        assertThatThrownBy(() -> Outputs.crossEntropy(binary, new int[] {2}, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Outputs.predictions(binary, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
