package io.foldwise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** data.classes and data.limitPerClass as HOCON: the list form, the object form with "*", and bad values (exit 2). */
class ClassMapConfigTest {
    private static DataConfig data(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides)).data();
    }

    private static String rejected(String... overrides) {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of(overrides)));
        assertThat(e).as("%s should be rejected", List.of(overrides)).isNotNull();
        assertThat(e.exitCode()).isEqualTo(2);
        return e.getMessage();
    }

    @Test
    void defaultKeepsEveryClassAsItIs() {
        ClassMap all = data().classes();
        assertThat(all.all()).isTrue();
        assertThat(all.target("7")).contains("7");
        assertThat(all.targets(List.of("b", "a"))).containsExactly("a", "b");
        assertThat(data().limitPerClass()).isZero();
    }

    @Test
    void listKeepsThoseClasses() {
        ClassMap m = data("data.classes=[\"3\", 5]").classes();
        assertThat(m.entries()).isEqualTo(Map.of("3", "3", "5", "5"));
        assertThat(m.target("4")).isEmpty();
        assertThat(m.targets(List.of("3", "4", "5"))).containsExactly("3", "5");
    }

    @Test
    void objectMapsAndMergesWithStarForTheRest() {
        ClassMap m = data("data.classes={\"3\" = three, \"8\" = three, \"*\" = rest}").classes();
        assertThat(m.target("3")).contains("three");
        assertThat(m.target("8")).contains("three");
        assertThat(m.target("0")).contains("rest");
        assertThat(m.targets(List.of("0", "1", "3", "8"))).containsExactly("rest", "three");
        assertThat(m.unknown(List.of("3", "4"))).containsExactly("8");
        // without "*" the unlisted classes are dropped
        assertThat(data("data.classes={\"3\" = a, \"5\" = b}").classes().target("0")).isEmpty();
    }

    @Test
    void limitPerClassReadsAndIsSeededBySweepSeed() {
        DataConfig d = data("data.limitPerClass=40", "sweep.seed=11");
        assertThat(d.limitPerClass()).isEqualTo(40);
        assertThat(d.sampleSeed()).isEqualTo(11);
    }

    @Test
    void thresholdAndPositiveClassRead() {
        FoldwiseConfig c = ConfigLoader.load(null, List.of("sweep.threshold={optimise = precision, min = 0.9}",
                "data.positiveClass=three"));
        assertThat(c.sweep().threshold()).isEqualTo(new ThresholdConfig(ThresholdConfig.Goal.PRECISION, 0.9));
        assertThat(c.data().positiveClass()).contains("three");
        assertThat(data().positiveClass()).isEmpty();
    }

    @Test
    void badValuesNameTheKey() {
        assertThat(rejected("data.classes=three")).contains("data.classes").contains("\"three\"");
        assertThat(rejected("data.classes=[\"3\", \"\"]")).contains("data.classes[1]");
        assertThat(rejected("data.classes={\"3\" = [a]}")).contains("data.classes.\"3\"");
        assertThat(rejected("data.classes={\"3\" = \"\"}")).contains("data.classes.\"3\"");
        assertThat(rejected("data.limitPerClass=-1")).contains("data.limitPerClass").contains("-1");
        assertThat(rejected("sweep.threshold.optimise=accuracy")).contains("sweep.threshold.optimise")
                .contains("f1 | precision | recall");
        assertThat(rejected("sweep.threshold.min=1.5")).contains("sweep.threshold.min").contains("1.5");
    }
}
