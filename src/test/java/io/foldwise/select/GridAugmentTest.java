package io.foldwise.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.config.InvalidConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Augmentation on/off as a sweep grid key: points, labels, stable ids, which points augment. */
class GridAugmentTest {
    static FoldwiseConfig config(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides));
    }

    @Test
    void augmentVariesFastestAndIsReadableInTheLabel() {
        FoldwiseConfig c = config("sweep.grid.l2=[1e-4, 1e-2]", "sweep.grid.augment=[false, true]");
        List<GridPoint> points = Grid.expand(c);
        assertThat(points).extracting(GridPoint::label).containsExactly("l2=0.0001 augment=false",
                "l2=0.0001 augment=true", "l2=0.01 augment=false", "l2=0.01 augment=true");
        assertThat(points).extracting(p -> p.augments(c.augment())).containsExactly(false, true, false, true);
        assertThat(points).extracting(GridPoint::id).doesNotHaveDuplicates();
        // Same train config, so the augment flag alone tells the two points apart.
        assertThat(points.get(0).train()).isEqualTo(points.get(1).train());
        assertThat(points.get(1).canonical("augment")).isEqualTo("true");
    }

    @Test
    void idsAreStableAndUnchangedForGridsWithoutAugment() {
        FoldwiseConfig plain = config("sweep.grid.l2=[1e-4, 1e-2]");
        FoldwiseConfig augmented = config("sweep.grid.l2=[1e-4, 1e-2]", "sweep.grid.augment=[false, true]");
        GridPoint p = Grid.expand(plain).get(0);
        assertThat(p.id()).isEqualTo(GridPoint.idOf(p.train(), List.of("l2")));
        // Re-expanding, or spelling the values differently, gives the same ids.
        assertThat(Grid.expand(config("sweep.grid.l2=[0.0001, 0.01]", "sweep.grid.augment=[\"false\", \"true\"]")))
                .extracting(GridPoint::id).containsExactlyElementsOf(Grid.expand(augmented).stream()
                        .map(GridPoint::id).toList());
        assertThat(Grid.expand(augmented)).extracting(GridPoint::id).doesNotContain(p.id());
    }

    @Test
    void withoutTheGridKeyAugmentEnabledDecides() {
        assertThat(Grid.expand(config("sweep.grid.l2=[1e-4]")).get(0).augments(config().augment())).isFalse();
        FoldwiseConfig on = config("sweep.grid.l2=[1e-4]", "augment.enabled=true");
        assertThat(Grid.expand(on).get(0).augments(on.augment())).isTrue();
        // The grid overrides augment.enabled per point.
        FoldwiseConfig both = config("sweep.grid.augment=[false, true]", "augment.enabled=true");
        assertThat(Grid.expand(both)).extracting(p -> p.augments(both.augment())).containsExactly(false, true);
    }

    @Test
    void learningCurvePointsCanNameTheAugmentValue() {
        FoldwiseConfig c = config("sweep.grid.l2=[1e-4, 1e-2]", "sweep.grid.augment=[false, true]",
                "learningCurve.points=[{l2 = 1e-2, augment = true}]");
        List<GridPoint> grid = Grid.expand(c);
        assertThat(Grid.learningCurvePoints(c.source(), grid, c.learningCurve()))
                .extracting(GridPoint::label).containsExactly("l2=0.01 augment=true");
        FoldwiseConfig missing = config("sweep.grid.l2=[1e-4, 1e-2]", "sweep.grid.augment=[false, true]",
                "learningCurve.points=[{l2 = 1e-2}]");
        assertThatThrownBy(() -> Grid.learningCurvePoints(missing.source(), Grid.expand(missing),
                missing.learningCurve())).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("learningCurve.points[0]").hasMessageContaining("matches no grid point");
    }
}
