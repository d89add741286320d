package io.foldwise.select;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.config.HalvingConfig;
import io.foldwise.config.SelectionMetric;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Successive halving's rungs and promotions. */
class HalvingTest {
    /** 3 architectures × 3 λ. */
    private static final List<GridPoint> POINTS = Grid.expand(GridTest.config("sweep.grid.l2=[1e-4, 1e-3, 1e-2]",
            "sweep.grid.architecture=[{mlp = [16]}, {mlp = [32]}, {mlp = [64]}]"));

    private static Map<String, Long> params() {
        Map<String, Long> m = new HashMap<>();
        POINTS.forEach(p -> m.put(p.id(), (long) p.train().architecture().dense().get(0)));
        return m;
    }

    private static Map<String, Stat> means(double... values) {
        Map<String, Stat> m = new HashMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(POINTS.get(i).id(), Stat.of(List.of(values[i])));
        }
        return m;
    }

    @Test
    void rungsGrowFoldsAndEpochsByEtaUntilBothAreFull() {
        HalvingConfig h = new HalvingConfig(3, 1, 1);
        assertThat(Halving.rungCount(5, 10, h)).isEqualTo(4); // 1, 3, 9 (capped), then full
        assertThat(Halving.rung(0, 4, 5, 10, h)).isEqualTo(new Halving.Rung(0, 1, 1));
        assertThat(Halving.rung(1, 4, 5, 10, h)).isEqualTo(new Halving.Rung(1, 3, 3));
        assertThat(Halving.rung(2, 4, 5, 10, h)).isEqualTo(new Halving.Rung(2, 5, 9));
        assertThat(Halving.rung(3, 4, 5, 10, h)).isEqualTo(new Halving.Rung(3, 5, 10));
        assertThat(Halving.rungCount(3, 2, new HalvingConfig(3, 2, 3))).isEqualTo(1);
        // a point with fewer epochs than the sweep's longest reaches its own count earlier
        assertThat(Halving.rung(1, 4, 5, 2, h)).isEqualTo(new Halving.Rung(1, 3, 2));
    }

    @Test
    void survivorsAreTheTopThirdByTheRungMetricInTheMetricsDirection() {
        double[] acc = {0.50, 0.90, 0.70, 0.95, 0.60, 0.80, 0.85, 0.40, 0.30};
        List<GridPoint> up = Halving.promote(POINTS, means(acc), SelectionMetric.ACCURACY, 3, params());
        assertThat(up).containsExactly(POINTS.get(1), POINTS.get(3), POINTS.get(6));
        List<GridPoint> down = Halving.promote(POINTS, means(acc), SelectionMetric.LOSS, 3, params());
        assertThat(down).containsExactly(POINTS.get(0), POINTS.get(7), POINTS.get(8));
    }

    @Test
    void tiesGoAsInSelectionAndAFailedCandidateComesLast() {
        // Points 0..2 are mlp[16] (λ 1e-4, 1e-3, 1e-2), 3..5 mlp[32]: all tied at 0.9 but for a failure.
        double[] acc = {0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, Double.NaN};
        Map<String, Stat> m = means(acc);
        m.put(POINTS.get(8).id(), Stat.of(List.of()));
        List<GridPoint> up = Halving.promote(POINTS, m, SelectionMetric.ACCURACY, 3, params());
        // fewest parameters first (mlp[16]), then the larger λ
        assertThat(up).containsExactly(POINTS.get(0), POINTS.get(1), POINTS.get(2));
        List<GridPoint> loss = Halving.promote(POINTS, m, SelectionMetric.LOSS, 4, params());
        assertThat(loss).containsExactly(POINTS.get(1), POINTS.get(2));
    }

    @Test
    void aRungWithFewerThanEtaCandidatesPromotesTheBestOne() {
        List<GridPoint> two = POINTS.subList(0, 2);
        assertThat(Halving.promote(two, means(0.5, 0.7), SelectionMetric.ACCURACY, 3, params()))
                .containsExactly(POINTS.get(1));
    }

    @Test
    void epochBudgetsGiveRungsTheirOwnTrialIds() {
        GridPoint p = POINTS.get(0);
        assertThat(new TrialSpec(p, 0, 1, 1.0, 3).id().value()).isEqualTo(p.id() + "-f1-p1000-e3");
        assertThat(new TrialSpec(p, 0, 1, 1.0, 0).id().value()).isEqualTo(p.id() + "-f1-p1000");
        assertThat(new TrialSpec(p, 0, 1, 1.0, 3).train().epochs()).isEqualTo(3);
        TrialResult r = TrialResult.ok(p.id(), 1, 1.0, 10, 0.1, 0.2, 0.1, 0.1, 0.9, 0.9).withEpochs(3);
        assertThat(TrialResult.fromJson(r.toJson())).isEqualTo(r);
        assertThat(r.trialId()).isEqualTo(new TrialSpec(p, 0, 1, 1.0, 3).id());
    }
}
