package io.foldwise.model;

import io.foldwise.config.Activation;
import io.foldwise.config.ArchitectureSpec;
import io.foldwise.config.CnnBlock;
import io.foldwise.config.CnnSpec;
import io.foldwise.config.InvalidConfigException;
import io.foldwise.config.MlpSpec;
import io.foldwise.config.PoolType;
import io.foldwise.config.TrainConfig;
import io.foldwise.config.TransferSpec;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Transfer learning on DL4J's own API: a saved network's hidden layers with their parameters, its
 * leading layers frozen ({@link FrozenLayer}), and a new output layer for the new classes, built by
 * {@link TransferLearning}. Also reads a saved Foldwise network's architecture back from its layers,
 * so that a transfer point is shown and compared as the network it really trains.
 */
public final class TransferNetwork {
    private TransferNetwork() {
    }

    /**
     * The network that fine-tunes {@code source} for {@code numClasses} classes with
     * {@code train}'s updater, learning rate and λ on the layers that train: the source's layers
     * and parameters (frozen layers of a source that was itself fine-tuned are unfrozen first), the
     * first {@code train.transfer().freeze()} layers frozen, and a new output layer initialised by
     * {@code train.weightInit} from {@code train.seed}. {@code source} is not changed.
     *
     * @throws InvalidConfigException if freeze names more blocks than the source has before its output layer
     * @throws IllegalArgumentException if {@code source} is not a Foldwise network (see {@link #architecture})
     */
    public static MultiLayerNetwork build(MultiLayerNetwork source, TrainConfig train, int numClasses) {
        return build(source, train, numClasses, null);
    }

    /**
     * As {@link #build(MultiLayerNetwork, TrainConfig, int)}, the new output layer's loss weighted per
     * class ({@code train.classWeights = balanced}; null: unweighted).
     */
    public static MultiLayerNetwork build(MultiLayerNetwork source, TrainConfig train, int numClasses,
                                          double[] classWeights) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + numClasses);
        }
        MultiLayerNetwork start = unfrozen(source);
        MultiLayerConfiguration conf = start.getLayerWiseConfigurations();
        architecture(conf);
        int output = conf.getConfs().size() - 1;
        int frozen = checkFreeze(conf, train.transfer());
        FineTuneConfiguration fineTune = new FineTuneConfiguration.Builder()
                .updater(NetworkFactory.updater(train))
                .l2(train.l2())
                .seed(train.seed())
                .build();
        long nIn = ((FeedForwardLayer) conf.getConf(output).getLayer()).getNIn();
        // addLayer draws the new output layer's weights from this thread's ND4J generator: seed it
        // first, so that the same config gives the same starting network.
        Nd4j.getRandom().setSeed(train.seed());
        TransferLearning.Builder builder = new TransferLearning.Builder(start)
                .fineTuneConfiguration(fineTune)
                .removeOutputLayer()
                .addLayer(NetworkFactory.outputLayer(numClasses, nIn, train, classWeights));
        if (conf.getInputPreProcess(output) != null) {
            builder.setInputPreProcessor(output, conf.getInputPreProcess(output).clone());
        }
        if (frozen > 0) {
            builder.setFeatureExtractor(frozen - 1);
        }
        return builder.build();
    }

    /**
     * The number of leading layers {@code spec} freezes in the network {@code conf} describes.
     *
     * @throws InvalidConfigException if that is more than the blocks before its output layer
     */
    public static int checkFreeze(MultiLayerConfiguration conf, TransferSpec spec) {
        int output = conf.getConfs().size() - 1;
        int frozen = spec.frozenLayers(output + 1);
        if (frozen > output) {
            throw new InvalidConfigException("train.transfer.freeze must be at most " + output + " (the blocks of "
                    + spec.from().orElse("the source") + " before its output layer: " + describeLayers(conf)
                    + "), got " + frozen + "; use " + TransferSpec.ALL_BUT_OUTPUT_NAME
                    + " to train only the output layer");
        }
        return frozen;
    }

    /** Indexes of the frozen layers of {@code conf}, in order. */
    public static List<Integer> frozenLayers(MultiLayerConfiguration conf) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            if (conf.getConf(i).getLayer() instanceof FrozenLayer) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * The architecture of a network Foldwise built (conv and pool blocks, dense layers, then an
     * output layer), read from its layers; frozen layers count as the layers they wrap.
     *
     * @throws IllegalArgumentException naming the first layer Foldwise does not build
     */
    public static ArchitectureSpec architecture(MultiLayerConfiguration conf) {
        List<CnnBlock> blocks = new ArrayList<>();
        List<Integer> dense = new ArrayList<>();
        Activation activation = null;
        double alpha = 0.01;
        int layers = conf.getConfs().size();
        if (layers < 1 || !(inner(conf.getConf(layers - 1).getLayer()) instanceof BaseOutputLayer)) {
            throw new IllegalArgumentException("its last layer is not an output layer");
        }
        List<Activation> convActivations = new ArrayList<>();
        for (int i = 0; i < layers - 1; i++) {
            Layer l = inner(conf.getConf(i).getLayer());
            if (l instanceof ConvolutionLayer c && l.getClass() == ConvolutionLayer.class && dense.isEmpty()) {
                Activation a = activation(c.getActivationFn(), i);
                blocks.add(new CnnBlock.Conv((int) c.getNOut(), c.getKernelSize()[0], c.getStride()[0],
                        c.getPadding()[0], a));
                convActivations.add(a);
                alpha = leakyAlpha(c.getActivationFn(), alpha);
            } else if (l instanceof SubsamplingLayer s && l.getClass() == SubsamplingLayer.class && dense.isEmpty()) {
                PoolType type = s.getPoolingType() == PoolingType.MAX ? PoolType.MAX
                        : s.getPoolingType() == PoolingType.AVG ? PoolType.AVG : null;
                if (type == null) {
                    throw new IllegalArgumentException("layer " + i + " pools by " + s.getPoolingType()
                            + ", which Foldwise does not build");
                }
                blocks.add(new CnnBlock.Pool(type, s.getKernelSize()[0], s.getStride()[0]));
                convActivations.add(null);
            } else if (l instanceof DenseLayer d) {
                Activation a = activation(d.getActivationFn(), i);
                if (activation == null) {
                    activation = a;
                }
                alpha = leakyAlpha(d.getActivationFn(), alpha);
                dense.add((int) d.getNOut());
            } else {
                throw new IllegalArgumentException("layer " + i + " is a " + l.getClass().getSimpleName()
                        + ", which Foldwise does not build in this position");
            }
        }
        if (activation == null) {
            activation = convActivations.stream().filter(a -> a != null).findFirst().orElse(Activation.RELU);
        }
        if (blocks.isEmpty()) {
            return new MlpSpec(dense, activation, alpha);
        }
        // A conv block names its activation only where it differs from the architecture's.
        List<CnnBlock> named = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i) instanceof CnnBlock.Conv c) {
                named.add(new CnnBlock.Conv(c.filters(), c.kernel(), c.stride(), c.padding(),
                        c.activation() == activation ? null : c.activation()));
            } else {
                named.add(blocks.get(i));
            }
        }
        return new CnnSpec(named, dense, activation, alpha);
    }

    /** A network without frozen layers: {@code source} itself, or a copy with its frozen layers unwrapped. */
    private static MultiLayerNetwork unfrozen(MultiLayerNetwork source) {
        MultiLayerConfiguration conf = source.getLayerWiseConfigurations();
        if (frozenLayers(conf).isEmpty()) {
            return source;
        }
        MultiLayerConfiguration copy = conf.clone();
        for (NeuralNetConfiguration c : copy.getConfs()) {
            c.setLayer(inner(c.getLayer()));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(copy);
        net.init(source.params().dup(), false);
        return net;
    }

    private static Layer inner(Layer l) {
        return l instanceof FrozenLayer f ? f.getLayer() : l;
    }

    private static String describeLayers(MultiLayerConfiguration conf) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < conf.getConfs().size() - 1; i++) {
            out.add(i + 1 + " " + inner(conf.getConf(i).getLayer()).getClass().getSimpleName());
        }
        return String.join(", ", out);
    }

    private static Activation activation(IActivation fn, int layer) {
        if (fn instanceof ActivationReLU) {
            return Activation.RELU;
        } else if (fn instanceof ActivationLReLU) {
            return Activation.LEAKYRELU;
        } else if (fn instanceof ActivationTanH) {
            return Activation.TANH;
        } else if (fn instanceof ActivationSigmoid) {
            return Activation.SIGMOID;
        } else if (fn instanceof ActivationIdentity) {
            return Activation.LINEAR;
        }
        throw new IllegalArgumentException("layer " + layer + " uses activation " + fn
                + ", which Foldwise does not build");
    }

    private static double leakyAlpha(IActivation fn, double otherwise) {
        return fn instanceof ActivationLReLU l ? l.getAlpha() : otherwise;
    }
}
