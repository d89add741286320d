package io.foldwise.model;

import static io.foldwise.model.Nets.MNIST;
import static io.foldwise.model.Nets.SEED_CNN;
import static io.foldwise.model.Nets.train;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.foldwise.config.ImageShape;
import io.foldwise.config.InvalidConfigException;
import io.foldwise.config.TrainConfig;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

class NetworkFactoryTest {

    private static BaseLayer layer(MultiLayerConfiguration conf, int i) {
        return (BaseLayer) conf.getConf(i).getLayer();
    }

    /** Truncate-mode output side: floor((in + 2p - k) / s) + 1. */
    private static int side(int in, int kernel, int stride, int padding) {
        return Math.floorDiv(in + 2 * padding - kernel, stride) + 1;
    }

    @Test
    void mlpHasOneDenseLayerPerHiddenSizeThenTheOutput() {
        MultiLayerNetwork net = NetworkFactory.create(train("train.architecture={mlp=[128,64]}"), MNIST, 10);

        assertThat(net.getnLayers()).isEqualTo(3);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        assertThat(conf.getConf(0).getLayer()).isInstanceOf(DenseLayer.class);
        assertThat(conf.getConf(1).getLayer()).isInstanceOf(DenseLayer.class);
        assertThat(conf.getConf(2).getLayer()).isInstanceOf(OutputLayer.class);

        // A forward pass on a zero batch of 3 flat 784-value rows.
        List<INDArray> acts = net.feedForward(Nd4j.zeros(DataType.FLOAT, 3, 28 * 28), false);
        assertThat(acts.get(1).shape()).containsExactly(3, 128);
        assertThat(acts.get(2).shape()).containsExactly(3, 64);
        assertThat(acts.get(3).shape()).containsExactly(3, 10);
        assertThat(net.params().dataType()).isEqualTo(DataType.FLOAT);
    }

    @Test
    void seedCnnHasTheShapesConvolutionArithmeticGives() {
        MultiLayerNetwork net = NetworkFactory.create(train(SEED_CNN), MNIST, 10);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();

        // conv 4x4 s1: 28 -> 25; max pool 3x3 (stride defaults to the kernel) truncates 25 -> 8;
        // conv 4x4: 8 -> 5; pool 3x3: 5 -> 1; then dense 64 and the 10-way output.
        int c1 = side(28, 4, 1, 0);
        int p1 = side(c1, 3, 3, 0);
        int c2 = side(p1, 4, 1, 0);
        int p2 = side(c2, 3, 3, 0);
        assertThat(new int[] {c1, p1, c2, p2}).containsExactly(25, 8, 5, 1);

        assertThat(net.getnLayers()).isEqualTo(6);
        assertThat(conf.getConf(0).getLayer()).isInstanceOf(ConvolutionLayer.class);
        assertThat(conf.getConf(1).getLayer()).isInstanceOf(SubsamplingLayer.class);
        assertThat(conf.getConf(2).getLayer()).isInstanceOf(ConvolutionLayer.class);
        assertThat(conf.getConf(3).getLayer()).isInstanceOf(SubsamplingLayer.class);
        assertThat(conf.getConf(4).getLayer()).isInstanceOf(DenseLayer.class);
        assertThat(conf.getConf(5).getLayer()).isInstanceOf(OutputLayer.class);
        assertThat(((SubsamplingLayer) conf.getConf(1).getLayer()).getPoolingType())
                .isEqualTo(org.deeplearning4j.nn.conf.layers.PoolingType.MAX);
        assertThat(((ConvolutionLayer) conf.getConf(0).getLayer()).getConvolutionMode()).isEqualTo(ConvolutionMode.Truncate);

        List<InputType> types = conf.getLayerActivationTypes(InputType.convolutionalFlat(28, 28, 1));
        assertThat(types.get(0)).isEqualTo(InputType.convolutional(c1, c1, 32));
        assertThat(types.get(1)).isEqualTo(InputType.convolutional(p1, p1, 32));
        assertThat(types.get(2)).isEqualTo(InputType.convolutional(c2, c2, 64));
        assertThat(types.get(3)).isEqualTo(InputType.convolutional(p2, p2, 64));
        assertThat(types.get(4)).isEqualTo(InputType.feedForward(64));
        assertThat(types.get(5)).isEqualTo(InputType.feedForward(10));

        // The same through a real forward pass on flat CHW rows, as the trainer feeds them.
        List<INDArray> acts = net.feedForward(Nd4j.zeros(DataType.FLOAT, 2, 28 * 28), false);
        assertThat(acts.get(1).shape()).containsExactly(2, 32, c1, c1);
        assertThat(acts.get(2).shape()).containsExactly(2, 32, p1, p1);
        assertThat(acts.get(3).shape()).containsExactly(2, 64, c2, c2);
        assertThat(acts.get(4).shape()).containsExactly(2, 64, p2, p2);
        assertThat(acts.get(5).shape()).containsExactly(2, 64);
        assertThat(acts.get(6).shape()).containsExactly(2, 10);
    }

    @Test
    void flatRowsAreReadChannelMajor() {
        // One 1x1 linear convolution that copies channel 2 only: if rows were read HWC instead of CHW,
        // the copied plane would mix values from all three channels.
        TrainConfig t = train("train.architecture={cnn=[{conv=1,kernel=1}],activation=linear}");
        ImageShape shape = new ImageShape(2, 3, 3);
        MultiLayerNetwork net = NetworkFactory.create(t, shape, 3);
        Layer conv = net.getLayer(0);
        INDArray w = Nd4j.zeros(DataType.FLOAT, 1, 3, 1, 1); // [out, in, kh, kw]
        w.putScalar(new long[] {0, 2, 0, 0}, 1.0);
        conv.setParam("W", w);
        conv.setParam("b", Nd4j.zeros(DataType.FLOAT, 1, 1));

        float[] row = new float[shape.size()];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 6; p++) {
                row[c * 6 + p] = 100 * c + p; // channel c, pixel p (row-major within the plane)
            }
        }
        INDArray plane = net.feedForwardToLayer(0, Nd4j.create(row, new long[] {1, row.length}), false).get(1);
        assertThat(plane.shape()).containsExactly(1, 1, 2, 3);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                assertThat(plane.getDouble(0, 0, y, x)).isEqualTo(200 + y * 3 + x);
            }
        }
    }

    @Test
    void multiClassOutputIsSoftmaxWithMultiClassCrossEntropy() {
        MultiLayerConfiguration conf = NetworkFactory.configuration(train("train.architecture={mlp=[16]}"), MNIST, 7);
        OutputLayer out = (OutputLayer) conf.getConf(1).getLayer();
        assertThat(out.getNOut()).isEqualTo(7);
        assertThat(out.getActivationFn()).isInstanceOf(ActivationSoftmax.class);
        assertThat(out.getLossFn()).isInstanceOf(LossMCXENT.class);
    }

    @Test
    void binaryOutputIsOneSigmoidUnitWithBinaryCrossEntropy() {
        MultiLayerNetwork net = NetworkFactory.create(train("train.architecture={mlp=[16]}"), MNIST, 2);
        OutputLayer out = (OutputLayer) net.getLayerWiseConfigurations().getConf(1).getLayer();
        assertThat(out.getNOut()).isEqualTo(1);
        assertThat(out.getActivationFn()).isInstanceOf(ActivationSigmoid.class);
        assertThat(out.getLossFn()).isInstanceOf(LossBinaryXENT.class);
        INDArray p = net.output(Nd4j.rand(DataType.FLOAT, 4, 784));
        assertThat(p.shape()).containsExactly(4, 1);
        assertThat(p.minNumber().doubleValue()).isGreaterThan(0);
        assertThat(p.maxNumber().doubleValue()).isLessThan(1);
    }

    @Test
    void fewerThanTwoClassesIsRejected() {
        TrainConfig t = train();
        assertThatThrownBy(() -> NetworkFactory.configuration(t, MNIST, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1");
        assertThatThrownBy(() -> NetworkFactory.create(t, MNIST, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void architectureThatDoesNotFitTheInputIsAConfigError() {
        TrainConfig t = train("train.architecture={cnn=[{conv=8,kernel=5}]}");
        assertThatThrownBy(() -> NetworkFactory.configuration(t, new ImageShape(4, 4, 1), 3))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("train.architecture.cnn[0]");
    }

    @Test
    void hiddenActivationsReachEveryHiddenLayer() {
        MultiLayerConfiguration tanh = NetworkFactory.configuration(
                train("train.architecture={mlp=[8,8],activation=tanh}"), MNIST, 3);
        assertThat(layer(tanh, 0).getActivationFn()).isInstanceOf(ActivationTanH.class);
        assertThat(layer(tanh, 1).getActivationFn()).isInstanceOf(ActivationTanH.class);
        MultiLayerConfiguration sigmoid = NetworkFactory.configuration(
                train("train.architecture={mlp=[8],activation=sigmoid}"), MNIST, 3);
        assertThat(layer(sigmoid, 0).getActivationFn()).isInstanceOf(ActivationSigmoid.class);
        MultiLayerConfiguration linear = NetworkFactory.configuration(
                train("train.architecture={mlp=[8],activation=linear}"), MNIST, 3);
        assertThat(layer(linear, 0).getActivationFn()).isInstanceOf(ActivationIdentity.class);
    }

    @Test
    void leakyReluAlphaReachesTheActivation() {
        MultiLayerConfiguration conf = NetworkFactory.configuration(
                train("train.architecture={mlp=[8],activation=leakyrelu,leakyAlpha=0.2}"), MNIST, 3);
        assertThat(layer(conf, 0).getActivationFn()).isInstanceOf(ActivationLReLU.class);
        assertThat(((ActivationLReLU) layer(conf, 0).getActivationFn()).getAlpha()).isEqualTo(0.2);
        INDArray y = layer(conf, 0).getActivationFn().getActivation(Nd4j.createFromArray(-1.0, 3.0), false);
        assertThat(y.getDouble(0)).isCloseTo(-0.2, within(1e-12));
        assertThat(y.getDouble(1)).isCloseTo(3.0, within(1e-12));
    }

    @Test
    void convBlockActivationOverridesTheSpecsAndDenseLayersKeepTheSpecs() {
        MultiLayerConfiguration conf = NetworkFactory.configuration(train(
                "train.architecture={cnn=[{conv=4,kernel=3,activation=tanh},{pool=avg,kernel=2},{conv=4,kernel=3}],"
                        + "dense=[8],activation=relu}"), MNIST, 10);
        assertThat(layer(conf, 0).getActivationFn()).isInstanceOf(ActivationTanH.class);
        assertThat(((SubsamplingLayer) conf.getConf(1).getLayer()).getPoolingType())
                .isEqualTo(org.deeplearning4j.nn.conf.layers.PoolingType.AVG);
        assertThat(layer(conf, 2).getActivationFn()).isInstanceOf(ActivationReLU.class);
        assertThat(layer(conf, 3).getActivationFn()).isInstanceOf(ActivationReLU.class);
    }

    @Test
    void strideAndPaddingReachTheConvolution() {
        MultiLayerConfiguration conf = NetworkFactory.configuration(train(
                "train.architecture={cnn=[{conv=4,kernel=5,stride=2,padding=1},{pool=max,kernel=2,stride=1}]}"),
                MNIST, 10);
        ConvolutionLayer conv = (ConvolutionLayer) conf.getConf(0).getLayer();
        assertThat(conv.getKernelSize()).containsExactly(5, 5);
        assertThat(conv.getStride()).containsExactly(2, 2);
        assertThat(conv.getPadding()).containsExactly(1, 1);
        assertThat(((SubsamplingLayer) conf.getConf(1).getLayer()).getStride()).containsExactly(1, 1);
        int c = side(28, 5, 2, 1); // 13
        int p = side(c, 2, 1, 0); // 12
        List<InputType> types = conf.getLayerActivationTypes(InputType.convolutionalFlat(28, 28, 1));
        assertThat(types.get(0)).isEqualTo(InputType.convolutional(c, c, 4));
        assertThat(types.get(1)).isEqualTo(InputType.convolutional(p, p, 4));
    }

    @Test
    void updaterLearningRateMomentumAndSeedReachTheLayers() {
        MultiLayerConfiguration adam = NetworkFactory.configuration(
                train("train.updater=adam", "train.learningRate=0.003", "train.seed=77"), MNIST, 10);
        assertThat(layer(adam, 0).getIUpdater()).isInstanceOf(Adam.class);
        assertThat(((Adam) layer(adam, 1).getIUpdater()).getLearningRate()).isEqualTo(0.003);
        assertThat(adam.getConf(0).getSeed()).isEqualTo(77L);

        MultiLayerConfiguration sgd = NetworkFactory.configuration(
                train("train.updater=sgd", "train.learningRate=0.05", "train.momentum=0"), MNIST, 10);
        assertThat(layer(sgd, 0).getIUpdater()).isInstanceOf(Sgd.class);
        assertThat(((Sgd) layer(sgd, 1).getIUpdater()).getLearningRate()).isEqualTo(0.05);

        MultiLayerConfiguration nesterovs = NetworkFactory.configuration(
                train("train.updater=sgd", "train.learningRate=0.05", "train.momentum=0.9"), MNIST, 10);
        Nesterovs n = (Nesterovs) layer(nesterovs, 1).getIUpdater();
        assertThat(n.getLearningRate()).isEqualTo(0.05);
        assertThat(n.getMomentum()).isEqualTo(0.9);
    }

    @ParameterizedTest
    @CsvSource({"xavier, org.deeplearning4j.nn.weights.WeightInitXavier",
            "xavier_uniform, org.deeplearning4j.nn.weights.WeightInitXavierUniform",
            "relu, org.deeplearning4j.nn.weights.WeightInitRelu",
            "relu_uniform, org.deeplearning4j.nn.weights.WeightInitReluUniform",
            // DL4J's LECUN_NORMAL is WeightInitNormal: N(0, 1/fanIn).
            "lecun_normal, org.deeplearning4j.nn.weights.WeightInitNormal"})
    void weightInitMapsOntoDl4js(String name, Class<?> dl4jClass) {
        MultiLayerConfiguration conf = NetworkFactory.configuration(train("train.weightInit=" + name), MNIST, 10);
        for (int i = 0; i < conf.getConfs().size(); i++) {
            assertThat(layer(conf, i).getWeightInitFn()).isExactlyInstanceOf(dl4jClass);
        }
    }

    @Test
    void sameSeedGivesIdenticalInitialParamsAndAnotherSeedDoesNot() {
        INDArray a = NetworkFactory.create(train(SEED_CNN, "train.seed=5"), MNIST, 10).params();
        INDArray b = NetworkFactory.create(train(SEED_CNN, "train.seed=5"), MNIST, 10).params();
        INDArray c = NetworkFactory.create(train(SEED_CNN, "train.seed=6"), MNIST, 10).params();
        assertThat(a.dup('c').data().asFloat()).containsExactly(b.dup('c').data().asFloat()); // bit for bit
        assertThat(a.equalsWithEps(c, 1e-6)).isFalse();
        assertThat(a.amaxNumber().doubleValue()).isGreaterThan(0.0); // not trivially equal zeros
    }

    @Test
    void l2RegularisesWeightsOnlyNeverBiases() {
        double lambda = 0.01;
        MultiLayerNetwork net = NetworkFactory.create(train(
                "train.architecture={cnn=[{conv=4,kernel=3},{pool=max,kernel=2}],dense=[8]}", "train.l2=" + lambda),
                new ImageShape(8, 8, 1), 3);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();

        double weights = 0;
        double biases = 0;
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer l = net.getLayer(i);
            if (l.numParams() == 0) {
                continue; // pooling
            }
            List<Regularization> onWeights = layer(conf, i).getRegularization();
            assertThat(onWeights).hasSize(1).first().isInstanceOf(L2Regularization.class);
            assertThat(((L2Regularization) onWeights.get(0)).getL2().valueAt(0, 0)).isEqualTo(lambda);
            assertThat(layer(conf, i).getRegularizationBias()).isEmpty();
            // Biases start at 0, which would hide a bias penalty: make them large.
            l.getParam("b").assign(3.0);
            weights += l.getParam("W").norm2Number().doubleValue() * l.getParam("W").norm2Number().doubleValue();
            biases += l.getParam("b").norm2Number().doubleValue() * l.getParam("b").norm2Number().doubleValue();
        }
        // DL4J's L2Regularization.score is 0.5 * λ * ||param||², summed over regularised params.
        double expected = 0.5 * lambda * weights;
        assertThat(net.calcRegularizationScore(true)).isCloseTo(expected, within(1e-6 * expected));
        assertThat(0.5 * lambda * biases).isGreaterThan(0.1 * expected); // the bias term would be visible

        MultiLayerNetwork none = NetworkFactory.create(train("train.l2=0"), MNIST, 10);
        assertThat(none.calcRegularizationScore(true)).isZero();
    }

    @Test
    void parameterCountMatchesTheHandFormula() {
        // MLP 784-128-64-10: each dense layer has in*out weights and out biases.
        long mlp = (784 * 128 + 128) + (128 * 64 + 64) + (64 * 10 + 10);
        TrainConfig mlpTrain = train("train.architecture={mlp=[128,64]}");
        assertThat(NetworkFactory.parameterCount(mlpTrain, MNIST, 10)).isEqualTo(mlp);
        // Binary: one output unit.
        long binary = (784 * 128 + 128) + (128 * 64 + 64) + (64 + 1);
        assertThat(NetworkFactory.parameterCount(mlpTrain, MNIST, 2)).isEqualTo(binary);

        // Seed CNN: a conv layer has filters * (inChannels * k * k) weights and filters biases; pooling
        // has none; the dense layer sees 64 channels of 1x1 (see the shape test).
        long conv1 = 32 * (1 * 4 * 4) + 32;
        long conv2 = 64 * (32 * 4 * 4) + 64;
        long dense = (64 * 1 * 1) * 64 + 64;
        long out = 64 * 10 + 10;
        TrainConfig cnn = train(SEED_CNN);
        assertThat(NetworkFactory.parameterCount(cnn, MNIST, 10)).isEqualTo(conv1 + conv2 + dense + out);
        assertThat(NetworkFactory.create(cnn, MNIST, 10).numParams()).isEqualTo(conv1 + conv2 + dense + out);
    }
}
