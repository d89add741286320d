package io.foldwise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Grid values applied as overrides of an already-parsed base config. */
class TrainOverlayTest {

    @Test
    void valuesReplaceWholeKeysAndTheRestComesFromTheBase() {
        FoldwiseConfig base = ConfigLoader.load(null, List.of("train.epochs=3",
                "train.architecture={mlp=[16],activation=tanh}"));
        TrainOverlay overlay = ConfigLoader.trainOverlay(base.source());
        TrainConfig t = overlay.apply(Map.of("l2", ConfigValueFactory.fromAnyRef(0.5),
                "architecture", ConfigFactory.parseString("a { mlp = [4] }").getValue("a")), k -> k);
        assertThat(t.l2()).isEqualTo(0.5);
        assertThat(t.epochs()).isEqualTo(3);
        // The listed architecture does not inherit the base's tanh: it replaces the whole value.
        assertThat(t.architecture().describe()).isEqualTo("mlp[4]/relu");
        // One overlay serves many points; the base is left as it was.
        assertThat(overlay.apply(Map.of(), k -> k)).isEqualTo(base.train());
    }

    @Test
    void problemsAreReportedUnderTheRenamedKey() {
        TrainOverlay overlay = ConfigLoader.trainOverlay(ConfigLoader.merge(null, List.of()));
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> overlay.apply(
                Map.of("epochs", ConfigValueFactory.fromAnyRef(0)), k -> "sweep.grid." + k + "[1]"));
        assertThat(e).isNotNull();
        assertThat(e.problems()).containsExactly("sweep.grid.epochs[1] must be >= 1, got 0");
    }
}
