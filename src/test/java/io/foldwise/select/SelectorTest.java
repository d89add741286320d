package io.foldwise.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foldwise.FoldwiseException;
import io.foldwise.config.SelectionMetric;
import io.foldwise.config.SelectionRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SelectorTest {
    private static final int K = 3;
    /** 2 architectures × 3 λ, architecture varying slowest. */
    private static final List<GridPoint> POINTS = Grid.expand(GridTest.config("sweep.grid.l2=[1e-4, 1e-3, 1e-2]",
            "sweep.grid.architecture=[{mlp = [64]}, {mlp = [128, 64]}]"));

    /** Parameters of a 784-input, 10-class MLP with these hidden layers. */
    private static long params(GridPoint p) {
        long total = 0;
        int in = 784;
        List<Integer> layers = new ArrayList<>(p.train().architecture().dense());
        layers.add(10);
        for (int out : layers) {
            total += (long) in * out + out;
            in = out;
        }
        return total;
    }

    private static Map<String, Long> realParams() {
        Map<String, Long> m = new HashMap<>();
        POINTS.forEach(p -> m.put(p.id(), params(p)));
        return m;
    }

    private static GridPoint point(String arch, double l2) {
        return POINTS.stream().filter(p -> p.train().architecture().describe().equals(arch) && p.train().l2() == l2)
                .findFirst().orElseThrow();
    }

    /** A completed trial whose every metric is derived from one accuracy value. */
    private static TrialResult trial(GridPoint p, int fold, double accuracy) {
        return TrialResult.ok(p.id(), fold, 1.0, 100, 1 - accuracy, 2 * (1 - accuracy), (1 - accuracy) / 2,
                1 - accuracy, accuracy, accuracy - 0.01);
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).sum() / v.size();
    }

    private static double sampleStd(List<Double> v) {
        double m = mean(v);
        return Math.sqrt(v.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (v.size() - 1));
    }

    @Test
    void leaderboardHasMeanAndSampleStdPerPointInGridOrder() {
        Random random = new Random(5);
        List<TrialResult> results = new ArrayList<>();
        Map<String, List<TrialResult>> ok = new HashMap<>();
        for (GridPoint p : POINTS) {
            for (int fold = 0; fold < K; fold++) {
                TrialResult r = TrialResult.ok(p.id(), fold, 1.0, 50, random.nextDouble(), random.nextDouble(),
                        random.nextDouble(), random.nextDouble(), random.nextDouble(), random.nextDouble());
                results.add(r);
                ok.computeIfAbsent(p.id(), x -> new ArrayList<>()).add(r);
            }
            // A learning-curve trial: not part of the leaderboard.
            results.add(TrialResult.ok(p.id(), 0, 0.5, 25, 9, 9, 9, 9, 0, 0));
        }
        Leaderboard lb = Leaderboard.of(POINTS, results, SelectionMetric.F1_MACRO);
        assertThat(lb.rows()).extracting(r -> r.point().id()).containsExactlyElementsOf(
                POINTS.stream().map(GridPoint::id).toList());
        for (Leaderboard.Row row : lb.rows()) {
            List<TrialResult> trials = ok.get(row.point().id());
            List<Double> jCv = trials.stream().map(TrialResult::jCv).toList();
            List<Double> f1 = trials.stream().map(TrialResult::cvF1Macro).toList();
            List<Double> trainErr = trials.stream().map(TrialResult::trainError).toList();
            assertThat(row.okFolds()).isEqualTo(K);
            assertThat(row.jCv().mean()).isCloseTo(mean(jCv), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(row.jCv().std()).isCloseTo(sampleStd(jCv), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(row.metric().mean()).isCloseTo(mean(f1), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(row.trainError().std()).isCloseTo(sampleStd(trainErr), org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void failedTrialsAreCountedButNotAveraged() {
        GridPoint p = POINTS.get(0);
        List<TrialResult> results = List.of(trial(p, 0, 0.8), TrialResult.failed(p.id(), 1, 1.0, "out of memory"),
                trial(p, 2, 0.6));
        Leaderboard.Row row = Leaderboard.of(POINTS, results, SelectionMetric.ACCURACY).rows().get(0);
        assertThat(row.okFolds()).isEqualTo(2);
        assertThat(row.failedFolds()).isEqualTo(1);
        assertThat(row.metric().mean()).isCloseTo((0.8 + 0.6) / 2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(row.failures()).containsExactly("fold 1: out of memory");
        // Non-finite metrics count as a failure too.
        TrialResult diverged = TrialResult.ok(p.id(), 1, 1.0, 10, Double.NaN, Double.NaN, 0.9, 0.9, 0.1, 0.1);
        Leaderboard.Row row2 = Leaderboard.of(POINTS, List.of(trial(p, 0, 0.8), diverged), SelectionMetric.ACCURACY)
                .rows().get(0);
        assertThat(row2.okFolds()).isEqualTo(1);
        assertThat(row2.failedFolds()).isEqualTo(1);
    }

    @Test
    void metricDirectionDecides() {
        // Accuracy and loss disagree on purpose: a has the best accuracy, b the lowest loss, c the best F1.
        GridPoint a = POINTS.get(1);
        GridPoint b = POINTS.get(4);
        GridPoint c = POINTS.get(2);
        List<TrialResult> results = new ArrayList<>();
        for (GridPoint p : POINTS) {
            for (int fold = 0; fold < K; fold++) {
                double acc = p == a ? 0.95 : 0.90;
                double loss = p == b ? 0.10 : 0.30;
                double f1 = p == c ? 0.93 : 0.88;
                results.add(TrialResult.ok(p.id(), fold, 1.0, 100, loss / 2, loss, 0.02, 1 - acc, acc, f1));
            }
        }
        assertThat(Selector.select(Leaderboard.of(POINTS, results, SelectionMetric.ACCURACY), realParams()).point())
                .isEqualTo(a);
        assertThat(Selector.select(Leaderboard.of(POINTS, results, SelectionMetric.LOSS), realParams()).point())
                .isEqualTo(b);
        assertThat(Selector.select(Leaderboard.of(POINTS, results, SelectionMetric.F1_MACRO), realParams()).point())
                .isEqualTo(c);
    }

    @Test
    void tiesGoToFewerParametersThenLargerL2() {
        List<TrialResult> results = new ArrayList<>();
        for (GridPoint p : POINTS) {
            for (int fold = 0; fold < K; fold++) {
                results.add(trial(p, fold, 0.9));
            }
        }
        Leaderboard lb = Leaderboard.of(POINTS, results, SelectionMetric.ACCURACY);
        Map<String, Long> params = realParams();
        long fewest = POINTS.stream().mapToLong(SelectorTest::params).min().orElseThrow();
        double largestL2AmongSimplest = POINTS.stream().filter(p -> params(p) == fewest)
                .mapToDouble(p -> p.train().l2()).max().orElseThrow();
        Selection s = Selector.select(lb, params);
        assertThat(params(s.point())).isEqualTo(fewest);
        assertThat(s.point().train().l2()).isEqualTo(largestL2AmongSimplest);
        assertThat(s.tied()).hasSize(POINTS.size());
        assertThat(s.reason()).contains("fewer trainable parameters");

        // Fewer parameters beat a larger λ.
        GridPoint small = point("mlp[128,64]/relu", 1e-4);
        Map<String, Long> skewed = new HashMap<>(params);
        skewed.put(small.id(), 1L);
        assertThat(Selector.select(lb, skewed).point()).isEqualTo(small);
    }

    @Test
    void tieToleranceIsOneEMinus12() {
        GridPoint simple = point("mlp[64]/relu", 1e-4);
        GridPoint nearlyEqual = point("mlp[128,64]/relu", 1e-2);
        GridPoint better = point("mlp[128,64]/relu", 1e-3);
        List<TrialResult> results = new ArrayList<>();
        for (int fold = 0; fold < K; fold++) {
            results.add(trial(simple, fold, 0.5));
            results.add(trial(nearlyEqual, fold, 0.5 + 1e-13));
        }
        Map<String, Long> params = realParams();
        assertThat(Selector.select(Leaderboard.of(POINTS, results, SelectionMetric.ACCURACY), params).point())
                .as("within 1e-12: a tie, the simpler model wins").isEqualTo(simple);
        for (int fold = 0; fold < K; fold++) {
            results.add(trial(better, fold, 0.5 + 1e-9));
        }
        assertThat(Selector.select(Leaderboard.of(POINTS, results, SelectionMetric.ACCURACY), params).point())
                .as("1e-9 better is not a tie").isEqualTo(better);
    }

    @Test
    void aPointWhoseTrialsAllFailedIsNeverChosen() {
        GridPoint broken = POINTS.get(5);
        List<TrialResult> results = new ArrayList<>();
        for (GridPoint p : POINTS) {
            for (int fold = 0; fold < K; fold++) {
                results.add(p == broken ? TrialResult.failed(p.id(), fold, 1.0, "diverged")
                        : trial(p, fold, 0.1 + 0.1 * POINTS.indexOf(p)));
            }
        }
        Leaderboard lb = Leaderboard.of(POINTS, results, SelectionMetric.ACCURACY);
        assertThat(lb.rows().get(5).choosable()).isFalse();
        assertThat(lb.rows().get(5).failedFolds()).isEqualTo(K);
        Selection s = Selector.select(lb, realParams());
        assertThat(s.point()).isNotEqualTo(broken);
        assertThat(s.point()).isEqualTo(POINTS.get(4));
        // And with loss, where NaN must not win either.
        assertThat(Selector.select(Leaderboard.of(POINTS, results, SelectionMetric.LOSS), realParams()).point())
                .isNotEqualTo(broken);
    }

    @Test
    void allFailedIsARuntimeFailure() {
        List<TrialResult> results = new ArrayList<>();
        for (GridPoint p : POINTS) {
            for (int fold = 0; fold < K; fold++) {
                results.add(TrialResult.failed(p.id(), fold, 1.0, "executor lost"));
            }
        }
        Leaderboard lb = Leaderboard.of(POINTS, results, SelectionMetric.ACCURACY);
        assertThatThrownBy(() -> Selector.select(lb, realParams()))
                .isInstanceOf(FoldwiseException.class)
                .hasMessageContaining("no grid point can be chosen")
                .hasMessageContaining(POINTS.size() * K + " trial(s) failed")
                .hasMessageContaining("executor lost")
                .satisfies(e -> assertThat(((FoldwiseException) e).exitCode()).isEqualTo(FoldwiseException.RUNTIME));
        assertThatThrownBy(() -> Selector.select(Leaderboard.of(POINTS, List.of(), SelectionMetric.ACCURACY), Map.of()))
                .isInstanceOf(FoldwiseException.class);
    }

    @Test
    void resultsMustNameGridPointsOnce() {
        assertThatThrownBy(() -> Leaderboard.of(POINTS, List.of(trial(POINTS.get(0), 0, 0.5),
                trial(POINTS.get(0), 0, 0.6)), SelectionMetric.ACCURACY)).hasMessageContaining("two results");
        assertThatThrownBy(() -> Leaderboard.of(POINTS, List.of(TrialResult.ok("deadbeef", 0, 1, 1, 0, 0, 0, 0, 1, 1)),
                SelectionMetric.ACCURACY)).hasMessageContaining("deadbeef");
    }

    @Test
    void csvAndTableMarkTheChosenRow() {
        List<TrialResult> results = new ArrayList<>();
        for (GridPoint p : POINTS) {
            for (int fold = 0; fold < K; fold++) {
                results.add(trial(p, fold, 0.5 + 0.01 * POINTS.indexOf(p) + 0.001 * fold));
            }
        }
        Leaderboard lb = Leaderboard.of(POINTS, results, SelectionMetric.ACCURACY);
        Selection s = Selector.select(lb, realParams());
        String[] lines = lb.toCsv(OptionalInt.of(s.index())).split("\n");
        assertThat(lines).hasSize(POINTS.size() + 1);
        List<String> header = splitCsv(lines[0]);
        assertThat(header).contains("point_id", "label", "architecture", "l2", "j_cv_mean", "j_cv_std",
                "accuracy_mean", "accuracy_std", "best");
        for (int i = 1; i < lines.length; i++) {
            List<String> cells = splitCsv(lines[i]);
            assertThat(cells).hasSameSizeAs(header);
            GridPoint p = POINTS.get(i - 1);
            assertThat(cells.get(header.indexOf("point_id"))).isEqualTo(p.id());
            assertThat(cells.get(header.indexOf("label"))).isEqualTo(p.label());
            assertThat(cells.get(header.indexOf("best"))).isEqualTo(String.valueOf(i - 1 == s.index()));
            List<Double> acc = new ArrayList<>();
            for (int fold = 0; fold < K; fold++) {
                acc.add(0.5 + 0.01 * (i - 1) + 0.001 * fold);
            }
            assertThat(Double.parseDouble(cells.get(header.indexOf("accuracy_mean"))))
                    .isCloseTo(mean(acc), org.assertj.core.data.Offset.offset(1e-12));
        }
        String table = lb.toTable(OptionalInt.of(s.index()));
        assertThat(table.lines().filter(l -> l.startsWith("*")).toList()).singleElement()
                .satisfies(l -> assertThat(l).contains(s.point().id()));
        assertThat(table).contains("accuracy (higher is better)");
    }

    /** Splits one RFC 4180 line. */
    static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        out.add(cell.toString());
        return out;
    }

    @Test
    void oneStandardErrorRulePicksTheSimplestPointWithinOneStandardErrorOfTheBest() {
        // The big network with small λ is best (0.90 ± spread); the small network with the largest λ
        // is 0.005 behind, well within one standard error; another small point is 0.05 behind, outside.
        GridPoint bestPoint = point("mlp[128,64]/relu", 1e-4);
        GridPoint simple = point("mlp[64]/relu", 1e-2);
        GridPoint far = point("mlp[64]/relu", 1e-4);
        List<TrialResult> results = new ArrayList<>();
        double[] best = {0.88, 0.90, 0.92};
        for (int f = 0; f < K; f++) {
            results.add(trial(bestPoint, f, best[f]));
            results.add(trial(simple, f, best[f] - 0.005 + (f == 1 ? 0.001 : 0)));
            results.add(trial(far, f, best[f] - 0.05));
        }
        Leaderboard board = Leaderboard.of(POINTS, results, SelectionMetric.ACCURACY);
        Selection plain = Selector.select(board, realParams(), SelectionRule.BEST);
        assertThat(plain.point()).isEqualTo(bestPoint);

        double se = sampleStd(List.of(0.88, 0.90, 0.92)) / Math.sqrt(K);
        assertThat(board.row(simple.id()).orElseThrow().metric().mean())
                .isGreaterThan(plain.row().metric().mean() - se);
        assertThat(board.row(far.id()).orElseThrow().metric().mean()).isLessThan(plain.row().metric().mean() - se);
        Selection oneSe = Selector.select(board, realParams(), SelectionRule.ONESTANDARDERROR);
        assertThat(oneSe.point()).isEqualTo(simple);
        assertThat(oneSe.reason()).contains("one-standard-error rule");
        assertThat(params(simple)).isLessThan(params(bestPoint));
    }

    @Test
    void oneStandardErrorRuleOnALossPrefersTheLargerLambdaAmongEqualSizes() {
        GridPoint bestPoint = point("mlp[64]/relu", 1e-4);
        GridPoint largerL2 = point("mlp[64]/relu", 1e-3);
        List<TrialResult> results = new ArrayList<>();
        double[] acc = {0.80, 0.85, 0.90};
        for (int f = 0; f < K; f++) {
            results.add(trial(bestPoint, f, acc[f]));
            results.add(trial(largerL2, f, acc[f] - 0.01));
        }
        Leaderboard board = Leaderboard.of(POINTS, results, SelectionMetric.LOSS);
        assertThat(Selector.select(board, realParams()).point()).isEqualTo(bestPoint);
        assertThat(Selector.select(board, realParams(), SelectionRule.ONESTANDARDERROR).point()).isEqualTo(largerL2);
    }

    @Test
    void everyPointIsComparedWithTheChoiceOverSharedFolds() {
        GridPoint a = point("mlp[64]/relu", 1e-4);
        GridPoint b = point("mlp[64]/relu", 1e-3);
        List<TrialResult> results = new ArrayList<>();
        double[] acc = {0.80, 0.85, 0.90};
        for (int f = 0; f < K; f++) {
            results.add(trial(a, f, acc[f]));
            if (f != 2) { // b's fold 2 is missing: only folds 0 and 1 are shared
                results.add(trial(b, f, acc[f] - 0.01 * (f + 1)));
            }
        }
        Leaderboard board = Leaderboard.of(POINTS, results, SelectionMetric.ACCURACY);
        Selection s = Selector.select(board, realParams());
        assertThat(s.point()).isEqualTo(a);
        Leaderboard compared = board.comparedWith(s.index(), CorrectedTTest.kFoldRatio(K));
        CorrectedTTest vsB = compared.row(b.id()).orElseThrow().vsChosen().orElseThrow();
        assertThat(vsB.folds()).isEqualTo(2);
        assertThat(vsB.meanDifference()).isCloseTo(0.015, org.assertj.core.data.Offset.offset(1e-12));
        CorrectedTTest byHand = CorrectedTTest.of(new double[] {0.01, 0.02}, 0.5);
        assertThat(vsB.pValue()).isCloseTo(byHand.pValue(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(vsB.df()).isEqualTo(1);
        assertThat(compared.row(a.id()).orElseThrow().vsChosen()).isEmpty();
        assertThat(compared.runnerUp(s.index()).orElseThrow().point()).isEqualTo(b);
        String csv = compared.toCsv(OptionalInt.of(s.index()));
        assertThat(csv.lines().findFirst().orElseThrow()).contains(",best,diff_vs_chosen,t,df,p_value,");
        assertThat(csv).contains(",true,,,,");
    }

    @Test
    void repeatsGetTheirOwnTrialIdsAndRepeatZeroKeepsThePlainOne() {
        GridPoint p = POINTS.get(0);
        assertThat(new TrialSpec(p, 0, 2, 1.0).id().value()).isEqualTo(p.id() + "-f2-p1000")
                .isEqualTo(new TrialId(p.id(), 2, 1.0).value());
        assertThat(new TrialSpec(p, 1, 2, 1.0).id().value()).isEqualTo(p.id() + "-r1-f2-p1000");
        TrialResult r = TrialResult.ok(p.id(), 1, 2, 1.0, 100, 0.1, 0.2, 0.05, 0.1, 0.9, 0.89);
        assertThat(TrialResult.fromJson(r.toJson())).isEqualTo(r);
        assertThat(TrialResult.fromJson(trial(p, 2, 0.9).toJson()).repeat()).isZero();
    }
}
