package io.foldwise.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foldwise.FoldwiseException;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.config.InvalidConfigException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Random search: reproducible draws within their distributions, and bad specs as config errors. */
class RandomSearchTest {
    private static final String[] SPACE = {"sweep.search=random", "sweep.samples=20",
        "sweep.space.l2=\"loguniform(1e-5, 1e-1)\"", "sweep.space.learningRate=\"uniform(0.0005, 0.005)\"",
        "sweep.space.batchSize=\"int(16, 64)\"",
        "sweep.space.architecture=\"choice([{mlp = [64]}, {mlp = [128, 64]}])\""};

    private static List<GridPoint> draw(String... extra) {
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(SPACE), java.util.Arrays.stream(extra))
                .toArray(String[]::new);
        FoldwiseConfig c = GridTest.config(all);
        return RandomSearch.candidates(c.source(), c.sweep());
    }

    @Test
    void drawsAreReproducibleWithinTheirDistributionsAndAPrefixOfLongerDraws() {
        List<GridPoint> a = draw();
        assertThat(a).hasSize(20);
        assertThat(draw()).isEqualTo(a);
        assertThat(draw("sweep.samples=5")).isEqualTo(a.subList(0, 5));
        assertThat(draw("sweep.sampleSeed=7")).isNotEqualTo(a);
        assertThat(draw("sweep.seed=7")).as("the fold seed does not change the draws").isEqualTo(a);
        for (GridPoint p : a) {
            assertThat(p.train().l2()).isBetween(1e-5, 1e-1);
            assertThat(p.train().learningRate()).isBetween(0.0005, 0.005);
            assertThat(p.train().batchSize()).isBetween(16, 64);
            assertThat(p.values().keySet()).containsExactly("architecture", "l2", "learningRate", "batchSize");
        }
        Set<String> archs = a.stream().map(p -> p.train().architecture().describe()).collect(Collectors.toSet());
        assertThat(archs).containsExactlyInAnyOrder("mlp[64]/relu", "mlp[128,64]/relu");
        // loguniform spreads over decades: some λ below 1e-3 and some above
        assertThat(a).anyMatch(p -> p.train().l2() < 1e-3).anyMatch(p -> p.train().l2() > 1e-3);
        assertThat(a.stream().map(GridPoint::id).distinct()).hasSize(20);
    }

    @Test
    void aSmallDiscreteSpaceGivesEachPointOnce() {
        FoldwiseConfig c = GridTest.config("sweep.search=random", "sweep.samples=10",
                "sweep.space.l2=[1e-4, 1e-3]");
        List<GridPoint> points = RandomSearch.candidates(c.source(), c.sweep());
        assertThat(points).extracting(p -> p.train().l2()).containsExactlyInAnyOrder(1e-4, 1e-3);
    }

    @Test
    void badSpecsAreConfigErrorsNamingTheKey() {
        for (String[] bad : List.of(
                new String[] {"sweep.space.l2=\"loguniform(0, 1)\"", "sweep.space.l2", "0 < low < high"},
                new String[] {"sweep.space.l2=\"gaussian(0, 1)\"", "sweep.space.l2", "is not a distribution"},
                new String[] {"sweep.space.epochs=\"int(1.5, 3)\"", "sweep.space.epochs", "whole numbers"},
                new String[] {"sweep.space.l2=\"uniform(1)\"", "sweep.space.l2", "two numbers"},
                new String[] {"sweep.space.nonsense=[1, 2]", "sweep.space.nonsense", "not a train setting"})) {
            assertThatThrownBy(() -> GridTest.config("sweep.search=random", bad[0]))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining(bad[1]).hasMessageContaining(bad[2])
                    .satisfies(e -> assertThat(((FoldwiseException) e).exitCode()).isEqualTo(2));
        }
        assertThatThrownBy(() -> GridTest.config("sweep.search=random"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("sweep.space");
        // a drawn value the train section rejects names the space key
        FoldwiseConfig c = GridTest.config("sweep.search=random", "sweep.space.momentum=\"uniform(0.5, 2)\"",
                "sweep.samples=30");
        assertThatThrownBy(() -> RandomSearch.candidates(c.source(), c.sweep()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("sweep.space.momentum");
    }
}
