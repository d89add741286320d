package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.TestSpark;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.report.CsvTable;
import io.foldwise.report.RunStatus;
import io.foldwise.select.RandomSearch;
import io.foldwise.select.TrialId;
import io.foldwise.select.TrialResult;
import io.foldwise.store.Json;
import io.foldwise.store.RunLayout;
import io.foldwise.store.RunState;
import io.foldwise.store.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repeated k-fold cross-validation ({@code sweep.repeats = 2}) end to end, on a random search of two
 * points: each repeat splits the images into its own folds, the leaderboard averages over folds x
 * repeats, the corrected resampled t-test runs over all of them, status counts them, and a resume
 * after losing committed trials retrains only those, on the same folds, to the same leaderboard.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RepeatedFoldsSweepIT {
    static final int K = 3;
    static final int R = 2;

    @TempDir
    static Path out;
    static FoldwiseConfig config;
    static SweepJob.Result result;
    static Path run;
    static List<String> pointIds;

    @BeforeAll
    static void sweep() {
        config = io.foldwise.SmallSweep.tinyConfig(out, "repeated",
                "train.epochs=1",
                "sweep.folds=" + K,
                "sweep.repeats=" + R,
                "sweep.search=random",
                "sweep.samples=2",
                // a choice of two: the two draws are both values, far apart so the folds' differences vary
                "sweep.space.l2=[0.0001, 0.3]");
        result = new SweepJob(TestSpark.session(), config, SweepListener.NONE).run().orElseThrow();
        run = out.resolve("repeated");
        pointIds = RandomSearch.candidates(config.source(), config.sweep()).stream().map(p -> p.id()).toList();
    }

    static Path trial(String pointId, int repeat, int fold) {
        return run.resolve("trials").resolve(new TrialId(pointId, repeat, fold, 1.0).value());
    }

    /** The image ids a trial validated on, from its predictions.csv. */
    static Set<String> validated(Path trial) throws IOException {
        CsvTable t = CsvTable.parse(Files.readString(trial.resolve("predictions.csv")));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < t.size(); i++) {
            ids.add(t.text(i, "id"));
        }
        return ids;
    }

    /** Each fold's validation ids of one repeat, read from one point's trials. */
    static List<Set<String>> folds(String pointId, int repeat) throws IOException {
        List<Set<String>> folds = new ArrayList<>();
        for (int f = 0; f < K; f++) {
            folds.add(validated(trial(pointId, repeat, f)));
        }
        return folds;
    }

    /** A point's committed selection metric by (repeat, fold), from its metrics.json files. */
    static Map<List<Integer>, Double> accuracies(String pointId) throws IOException {
        Map<List<Integer>, Double> out = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
                ? Integer.compare(a.get(1), b.get(1)) : Integer.compare(a.get(0), b.get(0)));
        for (int r = 0; r < R; r++) {
            for (int f = 0; f < K; f++) {
                JsonNode m = Json.parse(Files.readString(trial(pointId, r, f).resolve("metrics.json")));
                out.put(List.of(r, f), m.path(TrialResult.CV_ACCURACY).asDouble());
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void eachRepeatHasItsOwnFoldsOverTheSameImages() throws IOException {
        List<Set<String>> first = folds(pointIds.get(0), 0);
        List<Set<String>> second = folds(pointIds.get(0), 1);
        Set<String> all = new HashSet<>();
        first.forEach(all::addAll);
        assertThat(first.stream().mapToInt(Set::size).sum()).as("repeat 0's folds are disjoint").isEqualTo(all.size());
        Set<String> allSecond = new HashSet<>();
        second.forEach(allSecond::addAll);
        assertThat(second.stream().mapToInt(Set::size).sum()).as("repeat 1's folds are disjoint")
                .isEqualTo(allSecond.size());
        assertThat(allSecond).as("both repeats split the same training images").isEqualTo(all);
        long training = io.foldwise.store.RunRecord.read(storage(), layout()).data().orElseThrow().trainingImages();
        assertThat((long) all.size()).as("the folds cover every training image").isEqualTo(training);
        for (Set<String> fold : second) {
            assertThat(first).as("a fold of repeat 1 is none of repeat 0's").doesNotContain(fold);
        }
        // Every point of a repeat is scored on the same folds (the t-test pairs them).
        assertThat(folds(pointIds.get(1), 0)).isEqualTo(first);
        assertThat(folds(pointIds.get(1), 1)).isEqualTo(second);
    }

    @Test
    @Order(2)
    void theLeaderboardAveragesFoldsTimesRepeatsAndTestsWithTheRepeatedCvCorrection() throws IOException {
        CsvTable board = CsvTable.parse(Files.readString(run.resolve("leaderboard.csv")));
        assertThat(board.size()).isEqualTo(2);
        int chosen = board.text(0, "best").equals("true") ? 0 : 1;
        Map<String, Map<List<Integer>, Double>> byPoint = new LinkedHashMap<>();
        for (int i = 0; i < board.size(); i++) {
            Map<List<Integer>, Double> acc = accuracies(board.text(i, "point_id"));
            byPoint.put(board.text(i, "point_id"), acc);
            double[] v = acc.values().stream().mapToDouble(Double::doubleValue).toArray();
            assertThat(board.number(i, "ok_folds")).isEqualTo(K * R);
            assertThat(board.number(i, "accuracy_mean")).isCloseTo(mean(v), within(1e-12));
            assertThat(board.number(i, "accuracy_std")).isCloseTo(Math.sqrt(variance(v)), within(1e-12));
        }
        int other = 1 - chosen;
        Map<List<Integer>, Double> a = byPoint.get(board.text(chosen, "point_id"));
        Map<List<Integer>, Double> b = byPoint.get(board.text(other, "point_id"));
        double[] d = a.keySet().stream().mapToDouble(k -> a.get(k) - b.get(k)).toArray();
        assertThat(d).hasSize(K * R);
        // Nadeau & Bengio over J = k x r pairs: var x (1/J + n_test/n_train), n_test/n_train = 1/(k-1).
        double se = Math.sqrt((1.0 / d.length + 1.0 / (K - 1)) * variance(d));
        assertThat(board.number(other, "df")).isEqualTo(K * R - 1);
        assertThat(board.number(other, "diff_vs_chosen")).isCloseTo(mean(d), within(1e-12));
        assertThat(se).as("the two points differ by different amounts on different folds").isPositive();
        double t = mean(d) / se;
        assertThat(board.number(other, "t")).isCloseTo(t, within(1e-9));
        double p = Math.min(1, 2 * new TDistribution(null, K * R - 1).cumulativeProbability(-Math.abs(t)));
        assertThat(board.number(other, "p_value")).isCloseTo(p, within(1e-9));
    }

    @Test
    @Order(3)
    void statusCountsRandomPointsTimesFoldsTimesRepeats() {
        RunStatus status = RunStatus.read(storage(), layout());
        RunStatus.Counts grid = status.grid().orElseThrow();
        assertThat(grid.expected()).isEqualTo(2 * K * R);
        assertThat(grid.done()).isEqualTo(2 * K * R);
        assertThat(status.rungs()).isEmpty();
        assertThat(status.lines()).anyMatch(l -> l.contains("2 random point(s) of sweep.samples = 2 x " + K
                + " folds x " + R + " repeats"));
    }

    @Test
    @Order(4)
    void resumeAfterLosingTrialsRetrainsThemOnTheSameFoldsToTheSameLeaderboard() throws IOException {
        String leaderboard = Files.readString(run.resolve("leaderboard.csv"));
        List<Path> lost = List.of(trial(pointIds.get(0), 1, 0), trial(pointIds.get(1), 1, 2),
                trial(pointIds.get(0), 0, 1));
        Map<Path, Set<String>> validatedBefore = new LinkedHashMap<>();
        for (Path t : lost) {
            validatedBefore.put(t, validated(t));
        }
        Map<String, Long> kept = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(run.resolve("trials"))) {
            for (Path d : dirs.toList()) {
                if (!lost.contains(d) && Files.exists(d.resolve("_SUCCESS"))) {
                    kept.put(d.getFileName().toString(), Files.getLastModifiedTime(d.resolve("_SUCCESS")).toMillis());
                }
            }
        }
        assertThat(kept).hasSize(2 * K * R - lost.size());
        for (Path t : lost) {
            io.foldwise.SmallSweep.deleteTree(t);
        }
        Files.writeString(run.resolve("run.json"), Files.readString(run.resolve("run.json"))
                .replace("\"" + RunState.FINISHED.json() + "\"", "\"" + RunState.INTERRUPTED.json() + "\""));
        Files.deleteIfExists(run.resolve(".run.json.crc"));
        RunStatus interrupted = RunStatus.read(storage(), layout());
        assertThat(interrupted.grid().orElseThrow().done()).isEqualTo(2 * K * R - lost.size());
        assertThat(interrupted.grid().orElseThrow().pending()).isEqualTo(lost.size());

        SweepJob.Result resumed = new SweepJob(TestSpark.session(), config, SweepListener.NONE).run().orElseThrow();
        for (Path t : lost) {
            assertThat(t.resolve("_SUCCESS")).exists();
            assertThat(validated(t)).as("same seed, same folds: %s", t.getFileName()).isEqualTo(validatedBefore.get(t));
        }
        for (Map.Entry<String, Long> e : kept.entrySet()) {
            assertThat(Files.getLastModifiedTime(run.resolve("trials").resolve(e.getKey()).resolve("_SUCCESS"))
                    .toMillis()).as("committed trial %s not retrained", e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(Files.readString(run.resolve("leaderboard.csv"))).isEqualTo(leaderboard);
        assertThat(resumed.selection().point().id()).isEqualTo(result.selection().point().id());
    }

    static Storage storage() {
        return new Storage(TestSpark.session().sparkContext().hadoopConfiguration());
    }

    static RunLayout layout() {
        return new RunLayout(new org.apache.hadoop.fs.Path(run.toUri()));
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample variance (n - 1). */
    static double variance(double[] v) {
        double m = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return ss / (v.length - 1);
    }
}
