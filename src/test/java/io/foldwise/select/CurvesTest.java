package io.foldwise.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.foldwise.config.SelectionMetric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CurvesTest {
    private static final int K = 3;

    @Test
    void validationCurveIsTheSliceThroughTheChosenPointPerArchitecture() {
        List<GridPoint> points = Grid.expand(GridTest.config("sweep.grid.l2=[1e-2, 1e-4, 1e-3]",
                "sweep.grid.architecture=[{mlp = [128, 64]}, {mlp = [64]}]", "sweep.grid.learningRate=[1e-3, 1e-2]"));
        Random random = new Random(2);
        List<TrialResult> results = new ArrayList<>();
        for (GridPoint p : points) {
            for (int fold = 0; fold < K; fold++) {
                results.add(TrialResult.ok(p.id(), fold, 1.0, 10, random.nextDouble(), random.nextDouble(),
                        random.nextDouble(), random.nextDouble(), random.nextDouble(), random.nextDouble()));
            }
        }
        Leaderboard lb = Leaderboard.of(points, results, SelectionMetric.ACCURACY);
        GridPoint at = points.stream().filter(p -> p.train().learningRate() == 1e-2).findFirst().orElseThrow();
        ValidationCurve vc = ValidationCurve.of(lb, at);

        assertThat(vc.architectures()).containsExactly("mlp[128,64]/relu", "mlp[64]/relu");
        assertThat(vc.rows()).hasSize(2 * 3);
        for (String arch : vc.architectures()) {
            List<ValidationCurve.Row> curve = vc.curve(arch);
            assertThat(curve).extracting(ValidationCurve.Row::l2).containsExactly(1e-4, 1e-3, 1e-2);
            for (ValidationCurve.Row r : curve) {
                Leaderboard.Row source = lb.row(r.pointId()).orElseThrow();
                assertThat(source.point().train().learningRate()).isEqualTo(at.train().learningRate());
                assertThat(source.point().train().architecture().describe()).isEqualTo(arch);
                assertThat(source.point().train().l2()).isEqualTo(r.l2());
                assertThat(r.jCv()).isEqualTo(source.jCv());
                assertThat(r.jTrain()).isEqualTo(source.jTrain());
            }
        }
        String[] csv = vc.toCsv().split("\n");
        assertThat(csv).hasSize(1 + 6);
        assertThat(SelectorTest.splitCsv(csv[0])).startsWith("architecture", "l2", "point_id");
        assertThat(SelectorTest.splitCsv(csv[1]).get(0)).isEqualTo("mlp[128,64]/relu");
    }

    @Test
    void learningCurveAveragesEachFractionOverFolds() {
        List<GridPoint> points = Grid.expand(GridTest.config("sweep.grid.l2=[1e-4, 1e-3]"));
        GridPoint p = points.get(0);
        Random random = new Random(3);
        List<TrialResult> results = new ArrayList<>();
        List<Double> fractions = List.of(1.0, 0.25, 0.5);
        for (double f : fractions) {
            for (int fold = 0; fold < K; fold++) {
                results.add(TrialResult.ok(p.id(), fold, f, Math.round(300 * f) + fold, random.nextDouble(),
                        random.nextDouble(), 0.1, 0.2, 0.8, 0.8));
                results.add(TrialResult.ok(points.get(1).id(), fold, f, 1, 99, 99, 0.9, 0.9, 0.1, 0.1));
            }
        }
        results.add(TrialResult.failed(p.id(), 3, 0.5, "boom"));
        LearningCurve lc = LearningCurve.of(p, results);
        assertThat(lc.rows()).extracting(LearningCurve.Row::fraction).containsExactly(0.25, 0.5, 1.0);
        for (LearningCurve.Row row : lc.rows()) {
            List<TrialResult> mine = results.stream()
                    .filter(r -> r.pointId().equals(p.id()) && r.fraction() == row.fraction() && r.usable()).toList();
            double jCv = mine.stream().mapToDouble(TrialResult::jCv).average().orElseThrow();
            double size = mine.stream().mapToLong(TrialResult::trainSize).average().orElseThrow();
            assertThat(row.okFolds()).isEqualTo(K);
            assertThat(row.jCv().mean()).isCloseTo(jCv, offset(1e-12));
            assertThat(row.trainSize()).isCloseTo(size, offset(1e-12));
        }
        assertThat(lc.rows().stream().filter(r -> r.fraction() == 0.5).findFirst().orElseThrow().failedFolds())
                .isEqualTo(1);
        String[] csv = LearningCurve.toCsv(List.of(lc)).split("\n");
        assertThat(csv).hasSize(1 + 3);
        assertThat(SelectorTest.splitCsv(csv[1]).get(0)).isEqualTo(p.id());
        assertThat(lc.rows()).isSortedAccordingTo(Comparator.comparingDouble(LearningCurve.Row::fraction));
    }
}
