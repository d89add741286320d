package io.foldwise.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.config.InvalidConfigException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GridTest {
    private static final List<Double> L2 = List.of(1e-4, 1e-3, 1e-2);
    private static final List<String> ARCHS = List.of("{mlp = [64]}", "{mlp = [128, 64]}");
    private static final List<String> ARCH_DESCRIBED = List.of("mlp[64]/relu", "mlp[128,64]/relu");

    static FoldwiseConfig config(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides));
    }

    @Test
    void cartesianProductInDeterministicOrder() {
        FoldwiseConfig c = config("sweep.grid.l2=[1e-4, 1e-3, 1e-2]",
                "sweep.grid.architecture=[" + String.join(", ", ARCHS) + "]", "sweep.grid.epochs=[1, 2]");
        List<GridPoint> points = Grid.expand(c);
        assertThat(points).hasSize(L2.size() * ARCHS.size() * 2);
        // Keys in TrainConfig order (architecture, l2, ..., epochs), the first varying slowest.
        List<String> expected = new ArrayList<>();
        for (String arch : ARCH_DESCRIBED) {
            for (double l2 : L2) {
                for (int epochs : List.of(1, 2)) {
                    expected.add(arch + "|" + l2 + "|" + epochs);
                }
            }
        }
        assertThat(points).extracting(p -> p.train().architecture().describe() + "|" + p.train().l2() + "|"
                + p.train().epochs()).containsExactlyElementsOf(expected);
        assertThat(points.get(0).values().keySet()).containsExactly("architecture", "l2", "epochs");
        // Keys not in the grid come from the base train section.
        assertThat(points).allSatisfy(p -> {
            assertThat(p.train().batchSize()).isEqualTo(c.train().batchSize());
            assertThat(p.train().learningRate()).isEqualTo(c.train().learningRate());
        });
        assertThat(points).extracting(GridPoint::id).doesNotHaveDuplicates();
        assertThat(Grid.expand(c)).isEqualTo(points);
    }

    @Test
    void labelNamesEachValue() {
        GridPoint p = Grid.expand(config("sweep.grid.l2=[1e-3]", "sweep.grid.architecture=[{mlp = [64]}]")).get(0);
        assertThat(p.label()).isEqualTo("architecture=mlp[64]/relu l2=0.001");
    }

    @Test
    void idsAreStableAndIndependentOfGridOrderAndSpelling() {
        List<GridPoint> a = Grid.expand(config("sweep.grid.l2=[1e-4, 1e-3, 1e-2]",
                "sweep.grid.architecture=[{mlp = [64]}, {mlp = [128, 64]}]"));
        List<GridPoint> b = Grid.expand(config("sweep.grid.l2=[0.01, 0.001, 0.0001]",
                "sweep.grid.architecture=[{mlp = [128, 64], activation = relu}, {mlp = [64]}]"));
        Map<String, String> idsA = new HashMap<>();
        a.forEach(p -> idsA.put(p.train().architecture().describe() + "|" + p.train().l2(), p.id()));
        Map<String, String> idsB = new HashMap<>();
        b.forEach(p -> idsB.put(p.train().architecture().describe() + "|" + p.train().l2(), p.id()));
        assertThat(idsB).isEqualTo(idsA);
        assertThat(a).extracting(GridPoint::id).isNotEqualTo(b.stream().map(GridPoint::id).toList());

        // The id is a hash of the sorted key=value lines, so it is the same in every run.
        String text = "architecture=mlp[64]/relu\nl2=0.001\n";
        assertThat(idsA.get("mlp[64]/relu|0.001")).isEqualTo(sha256(text).substring(0, 12));
    }

    @Test
    void idDependsOnValues() {
        GridPoint lr1 = Grid.expand(config("sweep.grid.learningRate=[0.001]")).get(0);
        GridPoint lr2 = Grid.expand(config("sweep.grid.learningRate=[0.01]")).get(0);
        GridPoint l2 = Grid.expand(config("sweep.grid.l2=[0.001]")).get(0);
        assertThat(Set.of(lr1.id(), lr2.id(), l2.id())).hasSize(3);
    }

    @Test
    void emptyGridIsAConfigError() {
        assertThatThrownBy(() -> Grid.expand(config()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("sweep.grid must list at least one train key")
                .hasMessageContaining("got {}")
                .satisfies(e -> assertThat(((InvalidConfigException) e).exitCode()).isEqualTo(2));
    }

    @Test
    void learningCurvePointsResolveByIdOrValues() {
        FoldwiseConfig c = config("sweep.grid.l2=[1e-4, 1e-3]", "sweep.grid.architecture=[{mlp = [64]}, {mlp = [32]}]",
                "learningCurve.points=[{l2 = 0.001, architecture = {mlp = [32]}}]");
        List<GridPoint> grid = Grid.expand(c);
        GridPoint wanted = grid.stream().filter(p -> p.train().l2() == 1e-3
                && p.train().architecture().dense().equals(List.of(32))).findFirst().orElseThrow();
        assertThat(Grid.learningCurvePoints(c.source(), grid, c.learningCurve())).containsExactly(wanted);

        FoldwiseConfig byId = config("sweep.grid.l2=[1e-4, 1e-3]", "sweep.grid.architecture=[{mlp = [64]}, {mlp = [32]}]",
                "learningCurve.points=[\"" + wanted.id() + "\"]");
        assertThat(Grid.learningCurvePoints(byId.source(), grid, byId.learningCurve())).containsExactly(wanted);

        FoldwiseConfig bad = config("sweep.grid.l2=[1e-4, 1e-3]", "sweep.grid.architecture=[{mlp = [64]}, {mlp = [32]}]",
                "learningCurve.points=[{l2 = 0.5, architecture = {mlp = [32]}}, \"abc\", {l2 = -1}]");
        assertThatThrownBy(() -> Grid.learningCurvePoints(bad.source(), grid, bad.learningCurve()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("learningCurve.points[0]")
                .hasMessageContaining("matches no grid point")
                .hasMessageContaining("learningCurve.points[1] = \"abc\" is not the id of a grid point")
                .hasMessageContaining("learningCurve.points[2].l2 must be a number >= 0, got -1");
    }

    @Test
    void trialIdsAreStableAndDistinct() {
        TrialId id = new TrialId("3fa9c1d2e4b5", 2, 0.25);
        assertThat(id.value()).isEqualTo("3fa9c1d2e4b5-f2-p250");
        assertThat(new TrialId("3fa9c1d2e4b5", 0, 1.0).value()).isEqualTo("3fa9c1d2e4b5-f0-p1000");
        assertThat(new TrialId("3fa9c1d2e4b5", 2, 0.25)).isEqualTo(id);
        List<String> values = new ArrayList<>();
        for (double f : List.of(0.1, 0.0125, 0.012, 0.25, 0.5, 1.0)) {
            for (int fold = 0; fold < 12; fold++) {
                values.add(new TrialId("abc", fold, f).value());
            }
        }
        assertThat(values).doesNotHaveDuplicates();
        assertThat(values).allMatch(v -> v.matches("[A-Za-z0-9_-]+"));
        assertThatThrownBy(() -> new TrialId("abc", 0, 0)).hasMessageContaining("fraction");
        assertThatThrownBy(() -> new TrialId("abc", -1, 1)).hasMessageContaining("fold");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void earlyStoppingIsAGridKeyWhoseObjectsTakeMissingKeysFromTheTrainSection() {
        FoldwiseConfig c = config("train.earlyStopping.minDelta=0.01",
                "sweep.grid.earlyStopping=[{patience = 0}, {patience = 3}]");
        List<GridPoint> points = Grid.expand(c);
        assertThat(points).extracting(p -> p.train().earlyStopping().patience()).containsExactly(0, 3);
        assertThat(points).extracting(p -> p.train().earlyStopping().minDelta()).containsOnly(0.01);
        assertThat(points.get(1).label()).isEqualTo("earlyStopping=patience=3,minDelta=0.01");
        assertThat(points.get(0).label()).isEqualTo("earlyStopping=off");
        assertThatThrownBy(() -> config("sweep.grid.earlyStopping=[{patience = -1}]"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("sweep.grid.earlyStopping[0]");
    }
}
