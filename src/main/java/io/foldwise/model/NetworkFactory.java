package io.foldwise.model;

import io.foldwise.config.ArchitectureSpec;
import io.foldwise.config.CnnBlock;
import io.foldwise.config.CnnSpec;
import io.foldwise.config.ImageShape;
import io.foldwise.config.Problems;
import io.foldwise.config.TrainConfig;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Turns a {@link TrainConfig}'s architecture and hyperparameters into a DL4J network.
 *
 * <p>Input contract, relied on by the tensorizing and training code: each example is one flat row
 * of {@code h*w*c} values in CHW (channel-major) order, for MLPs and CNNs alike. CNNs declare
 * {@code InputType.convolutionalFlat(h, w, c)} so that DL4J inserts the row-to-NCHW reshape itself.
 *
 * <p>Output contract: more than two classes gives {@code numClasses} softmax units trained with
 * multi-class cross-entropy (labels one-hot); two classes give one sigmoid unit trained with binary
 * cross-entropy (labels one column of 0/1, 1 meaning class index 1).
 */
public final class NetworkFactory {
    private NetworkFactory() {
    }

    /**
     * The network's configuration.
     *
     * @throws IllegalArgumentException if {@code numClasses < 2}
     * @throws io.foldwise.config.InvalidConfigException if the architecture does not fit {@code input}
     */
    public static MultiLayerConfiguration configuration(TrainConfig train, ImageShape input, int numClasses) {
        return configuration(train, input, numClasses, null);
    }

    /**
     * The network's configuration, with the loss weighing each class by {@code classWeights} (null or
     * two classes: unweighted).
     */
    public static MultiLayerConfiguration configuration(TrainConfig train, ImageShape input, int numClasses,
                                                        double[] classWeights) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + numClasses);
        }
        ArchitectureSpec arch = train.architecture();
        // Config load already checks this; repeating it here gives a named-key error instead of a
        // DL4J shape exception when a caller builds a network for another input shape.
        Problems fit = new Problems();
        arch.checkFits(input, "train.architecture", fit);
        fit.throwIfAny();

        // In M2, Builder.l2(λ) adds L2Regularization to the weights' list only; the biases' list
        // (regularizationBias, set by l2Bias) stays empty, so biases are not penalised. l2(0) adds
        // nothing. weightDecay would be a different rule (decoupled decay), not the method's λ.
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(train.seed())
                .dataType(DataType.FLOAT)
                .updater(updater(train))
                .weightInit(weightInit(train.weightInit()))
                .l2(train.l2())
                .convolutionMode(ConvolutionMode.Truncate)
                .list();

        int index = 0;
        if (arch instanceof CnnSpec cnn) {
            for (CnnBlock block : cnn.blocks()) {
                if (block instanceof CnnBlock.Conv conv) {
                    io.foldwise.config.Activation act = conv.activation() != null ? conv.activation() : arch.activation();
                    layers.layer(index++, new ConvolutionLayer.Builder(conv.kernel(), conv.kernel())
                            .stride(conv.stride(), conv.stride())
                            .padding(conv.padding(), conv.padding())
                            .nOut(conv.filters())
                            .activation(activation(act, arch.leakyAlpha()))
                            .convolutionMode(ConvolutionMode.Truncate)
                            .build());
                } else if (block instanceof CnnBlock.Pool pool) {
                    layers.layer(index++, new SubsamplingLayer.Builder(poolingType(pool))
                            .kernelSize(pool.kernel(), pool.kernel())
                            .stride(pool.stride(), pool.stride())
                            .convolutionMode(ConvolutionMode.Truncate)
                            .build());
                }
            }
        }
        for (int units : arch.dense()) {
            layers.layer(index++, new DenseLayer.Builder()
                    .nOut(units)
                    .activation(activation(arch.activation(), arch.leakyAlpha()))
                    .build());
        }
        layers.layer(index, outputLayer(numClasses, classWeights));
        layers.setInputType(arch instanceof CnnSpec
                ? InputType.convolutionalFlat(input.height(), input.width(), input.channels())
                : InputType.feedForward(input.size()));
        return layers.build();
    }

    /** A new network from {@link #configuration}, initialised from {@code train.seed()}. */
    public static MultiLayerNetwork create(TrainConfig train, ImageShape input, int numClasses) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(train, input, numClasses));
        net.init();
        return net;
    }

    /**
     * Number of trainable parameters (weights and biases) of the network {@link #configuration}
     * describes, computed without allocating it; used to break ties toward simpler models.
     */
    public static long parameterCount(TrainConfig train, ImageShape input, int numClasses) {
        return parameterCount(configuration(train, input, numClasses), false);
    }

    /**
     * Parameters of the network {@code conf} describes, computed without allocating it; with
     * {@code trainableOnly}, those of frozen layers ({@link FrozenLayer}) are left out.
     */
    public static long parameterCount(MultiLayerConfiguration conf, boolean trainableOnly) {
        long total = 0;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            NeuralNetConfiguration layer = conf.getConf(i);
            if (!(trainableOnly && layer.getLayer() instanceof FrozenLayer)) {
                total += layer.getLayer().initializer().numParams(layer);
            }
        }
        return total;
    }

    /**
     * {@code balanced} weights from class counts: n / (k × n_c); a class without images gets weight 1
     * (it never contributes to the loss anyway).
     */
    public static double[] balancedWeights(long[] counts) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        double[] w = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            w[c] = counts[c] == 0 ? 1 : (double) n / ((double) counts.length * counts[c]);
        }
        return w;
    }

    private static OutputLayer outputLayer(int numClasses, double[] classWeights) {
        return outputBuilder(numClasses, classWeights).build();
    }

    /** The output layer for {@code numClasses} on {@code nIn} inputs, initialised by {@code train.weightInit}. */
    static OutputLayer outputLayer(int numClasses, long nIn, TrainConfig train) {
        return outputLayer(numClasses, nIn, train, null);
    }

    /** As {@link #outputLayer(int, long, TrainConfig)}, its loss weighted per class (null: unweighted). */
    static OutputLayer outputLayer(int numClasses, long nIn, TrainConfig train, double[] classWeights) {
        return outputBuilder(numClasses, classWeights).nIn(nIn).weightInit(weightInit(train.weightInit())).build();
    }

    private static OutputLayer.Builder outputBuilder(int numClasses, double[] classWeights) {
        if (numClasses > 2 && classWeights != null) {
            return new OutputLayer.Builder(new LossMCXENT(Nd4j.create(classWeights).castTo(DataType.FLOAT)))
                    .nOut(numClasses).activation(Activation.SOFTMAX);
        }
        if (numClasses == 2) {
            // One logit is enough for two classes; two softmax units would be over-parameterised.
            return new OutputLayer.Builder(new LossBinaryXENT()).nOut(1).activation(Activation.SIGMOID);
        }
        return new OutputLayer.Builder(new LossMCXENT()).nOut(numClasses).activation(Activation.SOFTMAX);
    }

    /** A fresh activation instance per layer, so no layer shares mutable state with another. */
    static IActivation activation(io.foldwise.config.Activation activation, double leakyAlpha) {
        return switch (activation) {
            case RELU -> Activation.RELU.getActivationFunction();
            case LEAKYRELU -> new ActivationLReLU(leakyAlpha);
            case TANH -> Activation.TANH.getActivationFunction();
            case SIGMOID -> Activation.SIGMOID.getActivationFunction();
            case LINEAR -> Activation.IDENTITY.getActivationFunction();
        };
    }

    static IUpdater updater(TrainConfig train) {
        return switch (train.updater()) {
            case ADAM -> new Adam(train.learningRate());
            case SGD -> train.momentum() == 0
                    ? new Sgd(train.learningRate())
                    : new Nesterovs(train.learningRate(), train.momentum());
        };
    }

    static WeightInit weightInit(io.foldwise.config.WeightInit init) {
        return switch (init) {
            case XAVIER -> WeightInit.XAVIER;
            case XAVIER_UNIFORM -> WeightInit.XAVIER_UNIFORM;
            case RELU -> WeightInit.RELU;
            case RELU_UNIFORM -> WeightInit.RELU_UNIFORM;
            case LECUN_NORMAL -> WeightInit.LECUN_NORMAL;
        };
    }

    private static PoolingType poolingType(CnnBlock.Pool pool) {
        return switch (pool.type()) {
            case MAX -> PoolingType.MAX;
            case AVG -> PoolingType.AVG;
        };
    }
}
