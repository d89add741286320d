package io.foldwise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.foldwise.FoldwiseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Config load: overrides, and bad values rejected with the key named, all at once, exit code 2. */
class ConfigValidationTest {

    private static FoldwiseConfig load(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides));
    }

    private static InvalidConfigException rejected(String... overrides) {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> load(overrides));
        assertThat(e).as("load of %s should fail", List.of(overrides)).isNotNull();
        assertThat(e.exitCode()).isEqualTo(FoldwiseException.USAGE).isEqualTo(2);
        return e;
    }

    @Test
    void defaultsLoad() {
        FoldwiseConfig c = load();
        assertThat(c.train().architecture()).isInstanceOf(MlpSpec.class);
        assertThat(c.data().shape()).isEqualTo(new ImageShape(28, 28, 1));
    }

    @Test
    void setOverridesReachTheRecords() {
        TrainConfig t = load("train.epochs=7", "train.l2=0.5", "train.updater=sgd", "train.momentum=0.9",
                "train.architecture={mlp=[256,32],activation=tanh}").train();
        assertThat(t.epochs()).isEqualTo(7);
        assertThat(t.l2()).isEqualTo(0.5);
        assertThat(t.updater()).isEqualTo(Updater.SGD);
        assertThat(t.momentum()).isEqualTo(0.9);
        assertThat(t.architecture()).isEqualTo(new MlpSpec(List.of(256, 32), Activation.TANH, 0.01));
    }

    @Test
    void laterSetWinsAndSetWinsOverTheFile(@TempDir Path dir) throws IOException {
        assertThat(load("train.epochs=3", "train.epochs=9").train().epochs()).isEqualTo(9);

        Path file = dir.resolve("my.conf");
        Files.writeString(file, "train { epochs = 4, batchSize = 16 }\n");
        FoldwiseConfig fromFile = ConfigLoader.load(file, List.of());
        assertThat(fromFile.train().epochs()).isEqualTo(4);
        FoldwiseConfig overridden = ConfigLoader.load(file, List.of("train.epochs=11"));
        assertThat(overridden.train().epochs()).isEqualTo(11);
        assertThat(overridden.train().batchSize()).isEqualTo(16);
    }

    @Test
    void aCnnGivenOverTheDefaultMlpReplacesIt() {
        // HOCON alone would merge {cnn = ...} into the reference {mlp = [128]} and reject both.
        ArchitectureSpec a = load("train.architecture={cnn=[{conv=8,kernel=3},{pool=avg,kernel=2}],dense=[16]}")
                .train().architecture();
        assertThat(a).isInstanceOf(CnnSpec.class);
        CnnSpec cnn = (CnnSpec) a;
        assertThat(cnn.blocks()).containsExactly(new CnnBlock.Conv(8, 3, 1, 0, null),
                new CnnBlock.Pool(PoolType.AVG, 2, 2));
        assertThat(cnn.dense()).containsExactly(16);
    }

    @Test
    void aWholeArchitectureReplacesTheFilesButAnActivationAloneTweaksIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("arch.conf");
        Files.writeString(file, "train.architecture { mlp = [64], activation = tanh }\n");
        assertThat(ConfigLoader.load(file, List.of("train.architecture={mlp=[32]}")).train().architecture())
                .isEqualTo(new MlpSpec(List.of(32), Activation.RELU, 0.01));
        assertThat(ConfigLoader.load(file, List.of("train.architecture.activation=sigmoid")).train().architecture())
                .isEqualTo(new MlpSpec(List.of(64), Activation.SIGMOID, 0.01));
    }

    @Test
    void kernelLargerThanItsInputIsRejected() {
        InvalidConfigException e = rejected("train.architecture={cnn=[{conv=8,kernel=40}]}");
        assertThat(e.getMessage()).contains("train.architecture.cnn[0]").contains("40x40").contains("28x28");
    }

    @Test
    void aKernelThatFitsOnlyAfterPaddingIsAccepted() {
        // 28 + 2*2 = 32 >= 30: the same check must not reject what padding makes fit.
        assertThat(load("train.architecture={cnn=[{conv=8,kernel=30,padding=2}]}").train().architecture())
                .isInstanceOf(CnnSpec.class);
    }

    @Test
    void poolThatReducesASideBelowOneIsRejected() {
        // conv 5x5 leaves 24x24; a 30x30 pool does not fit in it.
        InvalidConfigException e = rejected("train.architecture={cnn=[{conv=8,kernel=5},{pool=max,kernel=30}]}");
        assertThat(e.getMessage()).contains("train.architecture.cnn[1]").contains("24x24").contains("below 1x1");
        assertThat(e.getMessage()).doesNotContain("cnn[0]");
    }

    @Test
    void fitIsCheckedAgainstTheConfiguredShape() {
        assertThat(load("train.architecture={cnn=[{conv=8,kernel=20}]}").train()).isNotNull();
        InvalidConfigException e = rejected("train.architecture={cnn=[{conv=8,kernel=20}]}", "data.height=16", "data.width=16");
        assertThat(e.getMessage()).contains("train.architecture.cnn[0]").contains("16x16");
    }

    @Test
    void zeroUnitsAreRejectedWithTheirIndex() {
        assertThat(rejected("train.architecture={mlp=[128,0]}").getMessage())
                .contains("train.architecture.mlp[1] must be >= 1 unit, got 0");
        assertThat(rejected("train.architecture={cnn=[{conv=4,kernel=3}],dense=[8,0]}").getMessage())
                .contains("train.architecture.dense[1]");
        assertThat(rejected("train.architecture={cnn=[{conv=0,kernel=3}]}").getMessage())
                .contains("train.architecture.cnn[0].conv");
    }

    @Test
    void unknownActivationIsRejectedWithTheChoices() {
        assertThat(rejected("train.architecture={mlp=[10],activation=swish}").getMessage())
                .contains("train.architecture.activation").contains("\"swish\"").contains("leakyrelu");
        assertThat(rejected("train.architecture={cnn=[{conv=4,kernel=3,activation=gelu}]}").getMessage())
                .contains("train.architecture.cnn[0].activation").contains("\"gelu\"");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        InvalidConfigException e = rejected("train.epochs=0", "train.l2=abc");
        assertThat(e.problems()).hasSize(2);
        assertThat(e.getMessage()).contains("train.epochs").contains("train.l2");

        // Problems from different sections and from the architecture's fit, together.
        InvalidConfigException mixed = rejected("train.architecture={cnn=[{conv=8,kernel=40}]}", "train.batchSize=0",
                "data.testFraction=1.5");
        assertThat(mixed.problems()).anySatisfy(p -> assertThat(p).contains("train.architecture.cnn[0]"))
                .anySatisfy(p -> assertThat(p).contains("train.batchSize"))
                .anySatisfy(p -> assertThat(p).contains("data.testFraction"));
    }

    @Test
    void eachProblemIsReportedOnce() {
        InvalidConfigException e = rejected("data.testFraction=1.5", "train.l2=abc", "train.learningRate=fast");
        assertThat(e.problems()).doesNotHaveDuplicates().hasSize(3);
    }

    @Test
    void anUnreadableArchitectureIsNotAlsoReportedAsMissing() {
        InvalidConfigException e = rejected("train.architecture={mlp=[10],activation=swish}");
        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage()).doesNotContain("got nothing");
    }

    @Test
    void typoInAKeySuggestsTheRealOne() {
        InvalidConfigException e = rejected("train.l2z=0.1");
        assertThat(e.getMessage()).contains("train.l2z is not a Foldwise setting").contains("did you mean train.l2?");
    }

    @Test
    void unknownKeysAndBadValuesAreReportedTogether() {
        InvalidConfigException e = rejected("train.l2z=0.1", "train.epochs=0", "augment.copies=-1");
        assertThat(e.problems()).anyMatch(m -> m.startsWith("train.l2z is not a Foldwise setting"))
                .anyMatch(m -> m.startsWith("train.epochs")).anyMatch(m -> m.startsWith("augment.copies"));
    }

    @Test
    void noTestSetAndNothingHeldOutIsAConfigError() {
        InvalidConfigException e = rejected("data.test=\"\"", "data.testFraction=0");
        assertThat(e.getMessage()).contains("data.testFraction").contains("data.test");
        assertThat(load("data.test=\"\"", "data.testFraction=0.1").data().test()).isEmpty();
        assertThat(load("data.testFraction=0").data().test()).isPresent();
    }

    @Test
    void unboundedValuesAreRefusedBeforeTheyOverflow() {
        assertThat(rejected("augment.copies=1000000").getMessage()).contains("augment.copies").contains("1000");
        assertThat(rejected("augment.elastic.sigma=1e9").getMessage()).contains("augment.elastic.sigma");
        assertThat(rejected("data.height=100000", "data.width=100000").getMessage())
                .contains("data.height x data.width x data.channels").contains("10000000000");
        assertThat(load("augment.copies=1000", "augment.elastic.sigma=1000").augment().copies()).isEqualTo(1000);
    }

    @Test
    void nonNumericLambdaIsRejected() {
        assertThat(rejected("train.l2=abc").getMessage()).isEqualTo("train.l2 must be a number, got \"abc\"");
    }

    @Test
    void negativeLambdaIsRejected() {
        assertThat(rejected("train.l2=-0.1").getMessage()).contains("train.l2 must be a number >= 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3"})
    void epochsMustBePositive(String epochs) {
        assertThat(rejected("train.epochs=" + epochs).getMessage())
                .isEqualTo("train.epochs must be >= 1, got " + epochs);
    }

    @Test
    void fromConfigValidatesAMergedConfigTheSameWay() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> ConfigLoader.fromConfig(
                ConfigLoader.merge(null, List.of("train.architecture={mlp=[0]}"))));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("train.architecture.mlp[0]");
    }
}
