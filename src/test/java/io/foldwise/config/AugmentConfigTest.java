package io.foldwise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.foldwise.FoldwiseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The augment section: defaults, both translate forms, every bad value named at once, the grid key. */
class AugmentConfigTest {

    private static FoldwiseConfig load(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides));
    }

    private static List<String> problems(String... overrides) {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> load(overrides));
        assertThat(e).as("load of %s should fail", List.of(overrides)).isNotNull();
        assertThat(e.exitCode()).isEqualTo(FoldwiseException.USAGE);
        return e.problems();
    }

    @Test
    void defaultsAreOffAndMimicMnistDistortions() {
        AugmentConfig a = load().augment();
        assertThat(a.enabled()).isFalse();
        assertThat(a.copies()).isEqualTo(2);
        assertThat(a.rotate()).isEqualTo(10);
        assertThat(a.translateX()).isEqualTo(2).isEqualTo(a.translateY());
        assertThat(a.zoom()).isEqualTo(new AugmentConfig.Range(0.9, 1.1));
        assertThat(a.elastic()).isEqualTo(new AugmentConfig.Elastic(34, 4, 0.5));
        assertThat(a.noise()).isZero();
        assertThat(a.flipHorizontal()).isFalse();
        assertThat(a.flipVertical()).isFalse();
        assertThat(a.erase().probability()).isZero();
        // Digits on black: the default brightness never lifts the background.
        assertThat(a.brightness().max()).isLessThanOrEqualTo(0);
    }

    @Test
    void overridesReachTheRecord() {
        AugmentConfig a = load("augment.enabled=true", "augment.copies=5", "augment.translate=[3, 1]",
                "augment.elastic.probability=1", "augment.erase.area=[0.1, 0.3]").augment();
        assertThat(a.enabled()).isTrue();
        assertThat(a.copies()).isEqualTo(5);
        assertThat(a.translateX()).isEqualTo(3);
        assertThat(a.translateY()).isEqualTo(1);
        assertThat(a.elastic().probability()).isEqualTo(1);
        assertThat(a.erase().area()).isEqualTo(new AugmentConfig.Range(0.1, 0.3));
    }

    @Test
    void everyBadValueIsReportedAtOnceWithKeyAndValue() {
        List<String> p = problems("augment.copies=0", "augment.rotate=200", "augment.zoom=[1.2, 0.9]",
                "augment.elastic.probability=1.5", "augment.elastic.sigma=0", "augment.brightness=[-2, 0]",
                "augment.contrast=[-1, 1]", "augment.noise=-0.1", "augment.shear=90", "augment.translate=-1",
                "augment.erase.area=[0, 0.5]", "augment.fill=2", "sweep.folds=1");
        assertThat(p).contains("augment.copies must be in [1, 1000] (each copy adds the whole training set once more), got 0",
                "augment.rotate must be in [0, 180] degrees, got 200",
                "augment.zoom must be [min, max] with 0 < min <= max, got [1.2, 0.9]",
                "augment.elastic.probability must be a probability in [0, 1], got 1.5",
                "augment.elastic.sigma must be in (0, 1000] pixels (the smoothing kernel grows with sigma), got 0",
                "augment.brightness must be [min, max] with -1 <= min <= max <= 1, got [-2, 0]",
                "augment.contrast must be [min, max] with 0 <= min <= max, got [-1, 1]",
                "augment.noise must be >= 0 (a standard deviation), got -0.1",
                "augment.shear must be in [0, 90) degrees, got 90",
                "augment.translate must be >= 0 pixels (one number, or [x, y]), got -1",
                "augment.erase.area must be [min, max] with 0 < min <= max <= 1 (fractions of the image), got [0, 0.5]",
                "augment.fill must be in [0, 1], got 2",
                "sweep.folds must be >= 2, got 1");
        assertThat(p).doesNotHaveDuplicates();
    }

    @Test
    void malformedValuesAreNamedAndTheOtherKeysStillChecked() {
        List<String> p = problems("augment.zoom=[0.9]", "augment.translate=\"far\"", "augment.copies=1.5",
                "augment.enabled=maybe", "augment.rotate=-1");
        assertThat(p).contains("augment.zoom must be a list of two numbers such as [0.9, 1.1], got [0.9]",
                "augment.copies must be a whole number, got 1.5",
                "augment.enabled must be true or false, got \"maybe\"",
                "augment.rotate must be in [0, 180] degrees, got -1");
        assertThat(p).anyMatch(m -> m.startsWith("augment.translate must be a number or a list of two numbers")
                && m.contains("\"far\""));
    }

    @Test
    void aTypoInTheSectionIsRejectedWithASuggestion() {
        assertThat(problems("augment.rotation=5")).anyMatch(m -> m.startsWith("augment.rotation is not a Foldwise setting")
                && m.contains("did you mean augment.rotate?"));
    }

    @Test
    void augmentIsAGridKeyInAnySpelling() {
        for (String spelling : List.of("sweep.grid.augment=[false, true]", "sweep.grid.augment.enabled=[false, true]",
                "sweep.grid={\"augment.enabled\" = [false, true]}")) {
            SweepConfig s = load(spelling, "sweep.grid.l2=[1e-4]").sweep();
            assertThat(s.grid().keySet()).as(spelling).containsExactly("l2", "augment");
            assertThat(s.grid().get("augment")).hasSize(2);
            assertThat(s.gridSize()).isEqualTo(2);
        }
    }

    @Test
    void badAugmentGridValuesAreNamed() {
        assertThat(problems("sweep.grid.augment=[false, sometimes]"))
                .contains("sweep.grid.augment[1] must be true or false, got \"sometimes\"");
        assertThat(problems("sweep.grid.augment=[true, true]"))
                .contains("sweep.grid.augment[1] repeats sweep.grid.augment[0] (true); list each value once");
        assertThat(problems("sweep.grid.augment=true"))
                .contains("sweep.grid.augment must be a list of values to try such as [false, true], got true");
        assertThat(problems("sweep.grid.augmentation=[true]"))
                .anyMatch(m -> m.startsWith("sweep.grid.augmentation is not a train setting") && m.contains("augment"));
    }
}
