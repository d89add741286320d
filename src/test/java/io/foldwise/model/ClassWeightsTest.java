package io.foldwise.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.foldwise.config.ClassWeights;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.config.ImageShape;
import io.foldwise.config.InvalidConfigException;
import java.util.List;
import org.assertj.core.data.Offset;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** train.classWeights = balanced: DL4J's weighted cross-entropy with n / (k × n_c), gridable. */
class ClassWeightsTest {
    private static final ImageShape SHAPE = new ImageShape(2, 2, 1);

    private static LossMCXENT loss(MultiLayerConfiguration conf) {
        OutputLayer out = (OutputLayer) conf.getConf(conf.getConfs().size() - 1).getLayer();
        return (LossMCXENT) out.getLossFn();
    }

    @Test
    void balancedWeightsWeighEachClassInverselyToItsCount() {
        double[] w = NetworkFactory.balancedWeights(new long[] {60, 30, 10});
        assertThat(w[0]).isCloseTo(100.0 / (3 * 60), Offset.offset(1e-12));
        assertThat(w[1]).isCloseTo(100.0 / (3 * 30), Offset.offset(1e-12));
        assertThat(w[2]).isCloseTo(100.0 / (3 * 10), Offset.offset(1e-12));
        // weighted, each class contributes the same total: n_c × w_c = n / k
        assertThat(60 * w[0]).isCloseTo(10 * w[2], Offset.offset(1e-9));
    }

    @Test
    void theOutputLossCarriesTheWeightsAndTheWeightedLossDiffers() {
        FoldwiseConfig c = ConfigLoader.load(null, List.of("train.classWeights=balanced", "train.l2=0",
                "train.architecture={mlp=[4]}", "data.height=2", "data.width=2"));
        assertThat(c.train().classWeights()).isEqualTo(ClassWeights.BALANCED);
        double[] w = NetworkFactory.balancedWeights(new long[] {60, 30, 10});
        MultiLayerConfiguration weighted = NetworkFactory.configuration(c.train(), SHAPE, 3, w);
        INDArray stored = loss(weighted).getWeights();
        for (int i = 0; i < 3; i++) {
            assertThat(stored.getDouble(i)).isCloseTo(w[i], Offset.offset(1e-6));
        }
        assertThat(loss(NetworkFactory.configuration(c.train(), SHAPE, 3)).getWeights()).isNull();

        // same parameters, same data of the rare class: the weighted score is w[2] times the plain one
        MultiLayerNetwork a = new MultiLayerNetwork(weighted);
        a.init();
        MultiLayerNetwork b = new MultiLayerNetwork(NetworkFactory.configuration(c.train(), SHAPE, 3));
        b.init(a.params().dup(), true);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 4);
        INDArray y = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 3);
        y.getColumn(2).assign(1);
        org.nd4j.linalg.dataset.DataSet d = new org.nd4j.linalg.dataset.DataSet(x, y);
        assertThat(a.score(d)).isCloseTo(w[2] * b.score(d), Offset.offset(1e-4));
    }

    @Test
    void gridableAndValidated() {
        FoldwiseConfig c = ConfigLoader.load(null, List.of("sweep.grid.classWeights=[none, balanced]"));
        assertThat(c.sweep().grid()).containsKey("classWeights");
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of("train.classWeights=inverse")));
        assertThat(e.getMessage()).contains("train.classWeights").contains("none | balanced");
    }
}
