package io.foldwise.model;

import static io.foldwise.model.Nets.MNIST;
import static io.foldwise.model.Nets.train;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foldwise.config.InvalidConfigException;
import io.foldwise.config.TrainConfig;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.L2Regularization;

class TransferNetworkTest {

    private static MultiLayerNetwork source(String architecture, int classes) {
        return NetworkFactory.create(train("train.architecture=" + architecture), MNIST, classes);
    }

    private static TrainConfig transfer(String freeze, String... more) {
        String[] all = new String[more.length + 1];
        all[0] = "train.transfer={from=\"runs/src\",freeze=" + freeze + "}";
        System.arraycopy(more, 0, all, 1, more.length);
        return train(all);
    }

    private static DataSet batch(int n, int classes, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, MNIST.size());
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % classes, 1f);
        }
        return new DataSet(x, y);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{mlp=[16,8],activation=tanh}", "{mlp=[],activation=relu}",
        "{mlp=[12],activation=leakyrelu,leakyAlpha=0.2}",
        "{cnn=[{conv=4,kernel=5},{pool=max,kernel=2},{conv=6,kernel=3,stride=2,padding=1,activation=tanh},"
            + "{pool=avg,kernel=2,stride=1}],dense=[10]}",
        "{cnn=[{conv=3,kernel=3},{pool=max,kernel=2}]}"})
    void readsBackTheArchitectureTheFactoryBuilt(String architecture) {
        TrainConfig t = train("train.architecture=" + architecture);
        assertThat(TransferNetwork.architecture(NetworkFactory.configuration(t, MNIST, 10)))
                .isEqualTo(t.architecture());
    }

    @Test
    void keepsTheSourceLayersFreezesTheLeadingOnesAndReplacesTheOutputLayer() {
        MultiLayerNetwork src = source("{mlp=[16,8]}", 10);
        INDArray before = src.params().dup();
        TrainConfig t = transfer("1", "train.l2=0.01", "train.architecture={mlp=[999]}");
        MultiLayerNetwork net = TransferNetwork.build(src, t, 5);

        assertThat(net.getnLayers()).isEqualTo(3);
        assertThat(net.getLayerWiseConfigurations().getConf(0).getLayer()).isInstanceOf(FrozenLayer.class);
        assertThat(TransferNetwork.frozenLayers(net.getLayerWiseConfigurations())).containsExactly(0);
        assertThat(net.getLayer(0).params()).isEqualTo(src.getLayer(0).params());
        assertThat(net.getLayer(1).params()).isEqualTo(src.getLayer(1).params());
        OutputLayer out = (OutputLayer) net.getLayerWiseConfigurations().getConf(2).getLayer();
        assertThat(out.getNIn()).isEqualTo(8);
        assertThat(out.getNOut()).isEqualTo(5);
        BaseLayer trained = (BaseLayer) net.getLayerWiseConfigurations().getConf(1).getLayer();
        assertThat(trained.getRegularization()).containsExactly(new L2Regularization(0.01));
        assertThat(src.params()).as("the source is left as it was").isEqualTo(before);

        MultiLayerNetwork again = TransferNetwork.build(src, t, 5);
        assertThat(again.params()).as("the same config gives the same starting network").isEqualTo(net.params());
        assertThat(TransferNetwork.build(src, transfer("1", "train.seed=7"), 5).getLayer(2).params())
                .as("the new output layer is drawn from train.seed").isNotEqualTo(net.getLayer(2).params());
    }

    @Test
    void fittingLeavesFrozenLayersBitIdenticalAndChangesTheOthers() {
        MultiLayerNetwork src = source("{mlp=[16,8]}", 10);
        MultiLayerNetwork net = TransferNetwork.build(src, transfer("1", "train.learningRate=0.01"), 3);
        INDArray frozen = net.getLayer(0).params().dup();
        INDArray hidden = net.getLayer(1).params().dup();
        INDArray output = net.getLayer(2).params().dup();
        for (int i = 0; i < 5; i++) {
            net.fit(batch(32, 3, i));
        }
        assertThat(net.getLayer(0).params()).isEqualTo(frozen);
        assertThat(net.getLayer(1).params()).isNotEqualTo(hidden);
        assertThat(net.getLayer(2).params()).isNotEqualTo(output);
    }

    @Test
    void allButOutputFreezesEveryHiddenLayerAndCountsOnlyTheOutputAsTrainable() {
        MultiLayerNetwork net = TransferNetwork.build(source("{mlp=[16,8]}", 10), transfer("all-but-output"), 5);
        assertThat(TransferNetwork.frozenLayers(net.getLayerWiseConfigurations())).containsExactly(0, 1);
        assertThat(NetworkFactory.parameterCount(net.getLayerWiseConfigurations(), true)).isEqualTo(8 * 5 + 5);
        assertThat(NetworkFactory.parameterCount(net.getLayerWiseConfigurations(), false))
                .isEqualTo(net.numParams());
    }

    @Test
    void buildingFromOneSourceLeavesItUsableForAnotherFreeze() {
        MultiLayerNetwork src = source("{mlp=[16,8]}", 10);
        String conf = src.getLayerWiseConfigurations().toJson();
        TransferNetwork.build(src, transfer("all-but-output", "train.l2=0.5", "train.learningRate=0.5"), 5);
        assertThat(src.getLayerWiseConfigurations().toJson()).as("source configuration unchanged").isEqualTo(conf);
        MultiLayerNetwork all = TransferNetwork.build(src, transfer("0"), 5);
        assertThat(TransferNetwork.frozenLayers(all.getLayerWiseConfigurations())).isEmpty();
        assertThat(((BaseLayer) all.getLayerWiseConfigurations().getConf(0).getLayer()).getRegularization())
                .containsExactly(new L2Regularization(1e-4));
        MultiLayerNetwork none = TransferNetwork.build(src, transfer("0", "train.l2=0"), 5);
        assertThat(((BaseLayer) none.getLayerWiseConfigurations().getConf(0).getLayer()).getRegularization())
                .as("λ = 0 removes the source's L2").isEmpty();
    }

    @Test
    void freezingMoreBlocksThanTheSourceHasIsRefusedNamingTheBlocks() {
        assertThatThrownBy(() -> TransferNetwork.build(source("{mlp=[16,8]}", 10), transfer("3"), 5))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("train.transfer.freeze must be at most 2")
                .hasMessageContaining("runs/src")
                .hasMessageContaining("got 3");
    }

    @Test
    void cnnConvBlocksFreezeAndTwoClassesGetOneSigmoidUnit() {
        MultiLayerNetwork src = source("{cnn=[{conv=3,kernel=3},{pool=max,kernel=2}]}", 10);
        MultiLayerNetwork net = TransferNetwork.build(src, transfer("all-but-output", "train.learningRate=0.01"), 2);
        assertThat(TransferNetwork.frozenLayers(net.getLayerWiseConfigurations())).containsExactly(0, 1);
        INDArray conv = net.getLayer(0).params().dup();
        assertThat(conv).isEqualTo(src.getLayer(0).params());
        DataSet d = batch(8, 1, 3);
        d.setLabels(Nd4j.create(new float[] {0, 1, 0, 1, 0, 1, 0, 1}, new long[] {8, 1}, DataType.FLOAT));
        INDArray outBefore = net.getLayer(2).params().dup();
        net.fit(d);
        assertThat(net.output(d.getFeatures()).shape()).containsExactly(8, 1);
        assertThat(net.getLayer(0).params()).isEqualTo(conv);
        assertThat(net.getLayer(2).params()).isNotEqualTo(outBefore);
    }

    @Test
    void aFineTunedSourceIsUnfrozenBeforeItsOwnFreezeApplies() {
        MultiLayerNetwork tuned = TransferNetwork.build(source("{mlp=[16,8]}", 10), transfer("all-but-output"), 5);
        MultiLayerNetwork again = TransferNetwork.build(tuned, transfer("0"), 4);
        assertThat(TransferNetwork.frozenLayers(again.getLayerWiseConfigurations())).isEmpty();
        assertThat(again.getLayer(1).params()).isEqualTo(tuned.getLayer(1).params());
        assertThat(TransferNetwork.architecture(tuned.getLayerWiseConfigurations()).describe())
                .isEqualTo("mlp[16,8]/relu");
    }
}
