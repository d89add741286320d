package io.foldwise.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reader: one read API for top-level and nested keys, defaults taken from the reference it is given. */
class ConfigReaderTest {

    private static ArchitectureSpec architecture(String hocon, Config reference, Problems p) {
        return new ConfigReader(ConfigFactory.parseString("train.architecture = " + hocon), reference, p)
                .architecture("train.architecture");
    }

    @Test
    void anArchitectureWithoutActivationOrLeakyAlphaTakesThemFromTheReference() {
        Config reference = ConfigFactory.parseString(
                "train.architecture { mlp = [1], activation = leakyrelu, leakyAlpha = 0.2 }");
        Problems p = new Problems();
        assertThat(architecture("{mlp = [8]}", reference, p))
                .isEqualTo(new MlpSpec(List.of(8), Activation.LEAKYRELU, 0.2));
        assertThat(p.isEmpty()).isTrue();

        // Foldwise's own reference.conf is where the loaded defaults come from.
        Config ours = ConfigLoader.reference();
        ArchitectureSpec loaded = ConfigLoader.load(null, List.of("train.architecture={mlp=[8]}")).train().architecture();
        assertThat(loaded.leakyAlpha()).isEqualTo(ours.getDouble("train.architecture.leakyAlpha"));
        assertThat(loaded.activation().name()).isEqualToIgnoringCase(ours.getString("train.architecture.activation"));
    }

    @Test
    void nestedNumbersAreReadLikeTopLevelOnesAndReportedUnderTheirFullKey() {
        Problems p = new Problems();
        ArchitectureSpec spec = architecture("{cnn = [{conv = \"8\", kernel = 3}], leakyAlpha = \"0.3\"}",
                ConfigLoader.reference(), p);
        assertThat(p.messages()).isEmpty();
        assertThat(((CnnBlock.Conv) ((CnnSpec) spec).blocks().get(0)).filters()).isEqualTo(8);
        assertThat(spec.leakyAlpha()).isEqualTo(0.3);

        Problems bad = new Problems();
        architecture("{cnn = [{conv = 8, kernel = k}], leakyAlpha = steep}", ConfigLoader.reference(), bad);
        assertThat(bad.messages())
                .contains("train.architecture.leakyAlpha must be a number, got \"steep\"")
                .contains("train.architecture.cnn[0].kernel must be a number, got \"k\"");
    }

    @Test
    void aBadArchitectureIsReplacedByTheReferenceOneSoOtherTrainKeysAreStillChecked() {
        Problems p = new Problems();
        TrainConfig t = TrainConfig.read(new ConfigReader(ConfigLoader.merge(null,
                List.of("train.architecture={mlp=[8],activation=swish}", "train.epochs=0")),
                ConfigLoader.reference(), p), p);
        assertThat(t).isNull();
        assertThat(p.messages()).hasSize(2)
                .anySatisfy(m -> assertThat(m).startsWith("train.architecture.activation must be one of"))
                .contains("train.epochs must be >= 1, got 0");
    }
}
