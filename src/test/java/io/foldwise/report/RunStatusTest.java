package io.foldwise.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.SmallSweep;
import io.foldwise.TestSpark;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.job.SweepJob;
import io.foldwise.job.SweepListener;
import io.foldwise.store.RunState;
import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.select.Grid;
import io.foldwise.select.GridPoint;
import io.foldwise.select.TrialId;
import io.foldwise.store.Json;
import io.foldwise.store.RunLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} of a finished sweep, and of a copy made to look interrupted with trials missing and failed. */
class RunStatusTest {
    static SmallSweep.Run run;
    static List<GridPoint> points;
    static int folds;

    @BeforeAll
    static void sweep() {
        run = SmallSweep.get();
        points = Grid.expand(run.config());
        folds = run.config().sweep().folds();
    }

    @Test
    void finishedSweepHasEveryTrialDoneAndItsBestPoint() throws IOException {
        RunStatus status = RunStatus.read(run.storage(), run.layout());
        assertThat(status.finished()).isTrue();
        assertThat(status.command()).isEqualTo("sweep");
        RunStatus.Counts grid = status.grid().orElseThrow();
        assertThat(grid.expected()).isEqualTo(points.size() * folds);
        assertThat(grid.done()).isEqualTo(grid.expected());
        assertThat(grid.failed()).isZero();
        assertThat(grid.pending()).isZero();
        long fractionsBelowOne = run.config().learningCurve().fractions().stream().filter(f -> f < 1).count();
        RunStatus.Counts curve = status.curve().orElseThrow();
        assertThat(curve.expected()).isEqualTo(fractionsBelowOne * folds);
        assertThat(curve.done()).isEqualTo(curve.expected());

        CsvTable board = CsvTable.parse(Files.readString(run.dir().resolve("leaderboard.csv")));
        String metric = run.config().sweep().metric().configName() + "_mean";
        double bestMean = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < board.size(); i++) {
            bestMean = Math.max(bestMean, board.number(i, metric));
        }
        assertThat(status.best().orElseThrow().metric().mean()).isCloseTo(bestMean,
                org.assertj.core.data.Offset.offset(1e-12));
        JsonNode test = Json.parse(Files.readString(run.dir().resolve("best/test-metrics.json")));
        assertThat(status.lines()).anyMatch(l -> l.startsWith("test: accuracy "
                + String.format(java.util.Locale.ROOT, "%.4f", test.path("accuracy").asDouble())));
    }

    @Test
    void interruptedSweepCountsDoneFailedAndPendingTrials() throws IOException {
        // the run has not got to the choice yet
        Path copy = run.copy("status-copy", r -> {
            r.put("status", io.foldwise.store.RunState.RUNNING.json());
            r.remove(List.of(io.foldwise.store.RunRecord.FINISHED, io.foldwise.store.RunRecord.SECONDS));
        });
        RunLayout layout = new RunLayout(new org.apache.hadoop.fs.Path(copy.toUri()));
        List<String> grid = new ArrayList<>();
        for (GridPoint p : points) {
            for (int f = 0; f < folds; f++) {
                grid.add(new TrialId(p.id(), f, 1.0).value());
            }
        }
        assertThat(grid).as("the fixture's 2 points x 2 folds").hasSize(4);
        // grid[0]: interrupted while training (directory, no _SUCCESS)
        Files.delete(copy.resolve("trials").resolve(grid.get(0)).resolve("_SUCCESS"));
        // grid[1]: failed (error.txt, no _SUCCESS)
        Path failed = copy.resolve("trials").resolve(grid.get(1));
        Files.delete(failed.resolve("_SUCCESS"));
        Files.writeString(failed.resolve("error.txt"), "training diverged: loss is NaN\n\nstack...");
        // grid[2]: not started
        SmallSweep.deleteTree(copy.resolve("trials").resolve(grid.get(2)));
        Files.delete(copy.resolve("leaderboard.csv"));

        RunStatus status = RunStatus.read(run.storage(), layout);
        assertThat(status.finished()).isFalse();
        assertThat(status.state()).isEqualTo(io.foldwise.store.RunState.RUNNING);
        RunStatus.Counts counts = status.grid().orElseThrow();
        assertThat(counts.expected()).isEqualTo(grid.size());
        assertThat(counts.done()).isEqualTo(grid.size() - 3);
        assertThat(counts.failed()).isEqualTo(1);
        assertThat(counts.pending()).isEqualTo(2);
        assertThat(counts.inProgress()).isEqualTo(1);
        assertThat(status.curve()).as("chosen point unknown without leaderboard.csv").isEmpty();
        assertThat(status.lines()).anyMatch(l -> l.contains(grid.get(1)) && l.contains("training diverged"));

        // best so far: from the one grid trial still committed
        JsonNode left = Json.parse(Files.readString(copy.resolve("trials").resolve(grid.get(3)).resolve("metrics.json")));
        assertThat(status.best().orElseThrow().point().id()).isEqualTo(left.path("pointId").asText());
        assertThat(status.best().orElseThrow().metric().mean()).isEqualTo(left.path("cvAccuracy").asDouble());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(SmallSweep.runCli(out, new ByteArrayOutputStream(), "status", copy.toString())).isZero();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains(io.foldwise.store.RunState.RUNNING.json()).contains(counts.done() + " done, 1 failed, 2 pending (1 started)")
                .contains("best so far");

        // No process holds the lock of this "running" run: status says it is stale; a live lock, not.
        assertThat(status.lines().get(0)).contains(RunStatus.STALE);
        try (io.foldwise.store.RunLock live = io.foldwise.store.RunLock.acquire(run.storage(), layout.lockFile(), 120)) {
            assertThat(RunStatus.read(run.storage(), layout).lines().get(0)).doesNotContain(RunStatus.STALE);
        }
    }

    /**
     * A real sweep under successive halving with repeated k-fold: 4 grid points, 3 folds x 2 repeats,
     * 3 epochs, η = 3. Rung 0: 4 candidates x 1 fold x 1 epoch; rung 1 (the last): the one promoted on
     * 3 folds x 2 repeats x 3 epochs. Status counts 4 + 6 trials, not points x folds (12).
     */
    @Test
    void halvingWithRepeatsCountsTrialsPerRungAndSaysLaterRungsDependOnPromotion(@TempDir Path out)
            throws IOException {
        FoldwiseConfig config = SmallSweep.tinyConfig(out, "halving",
                "train.epochs=3",
                "sweep.folds=3",
                "sweep.repeats=2",
                "sweep.grid.l2=[1e-4, 1e-3, 1e-2, 1e-1]",
                "sweep.schedule=halving");
        new SweepJob(TestSpark.session(), config, SweepListener.NONE).run().orElseThrow();
        Path dir = out.resolve("halving");
        RunLayout layout = new RunLayout(new org.apache.hadoop.fs.Path(dir.toUri()));
        Map<String, Boolean> stored = trialDirs(dir);
        List<String> rung0 = stored.keySet().stream().filter(id -> id.endsWith("-e1")).toList();
        List<String> rung1 = stored.keySet().stream().filter(id -> !id.endsWith("-e1")).toList();
        assertThat(rung0).hasSize(4);
        assertThat(rung1).hasSize(6);

        RunStatus done = RunStatus.read(run.storage(), layout);
        assertThat(done.rungs()).hasSize(2);
        RunStatus.Rung first = done.rungs().get(0);
        assertThat(List.of(first.candidates(), first.entered(), first.folds(), first.repeats())).containsExactly(4, 4, 1, 1);
        assertThat(first.epochs()).isEqualTo("1");
        assertThat(first.trials()).isEqualTo(new RunStatus.Counts(4, 4, 0, 0));
        RunStatus.Rung last = done.rungs().get(1);
        assertThat(List.of(last.candidates(), last.entered(), last.folds(), last.repeats())).containsExactly(1, 1, 3, 2);
        assertThat(last.epochs()).isEqualTo("3");
        assertThat(last.trials()).isEqualTo(new RunStatus.Counts(6, 6, 0, 0));
        assertThat(done.grid().orElseThrow()).isEqualTo(new RunStatus.Counts(stored.size(), stored.size(), 0, 0));

        // Interrupted in rung 0: one trial started, the last rung not begun (nobody promoted yet).
        Path copy = out.resolve("halving-copy");
        SmallSweep.copyTree(dir, copy);
        Files.writeString(copy.resolve("run.json"), Files.readString(copy.resolve("run.json"))
                .replace("\"" + RunState.FINISHED.json() + "\"", "\"" + RunState.RUNNING.json() + "\""));
        Files.deleteIfExists(copy.resolve(".run.json.crc"));
        for (String id : rung1) {
            SmallSweep.deleteTree(copy.resolve("trials").resolve(id));
        }
        Files.delete(copy.resolve("trials").resolve(rung0.get(0)).resolve("_SUCCESS"));
        Files.delete(copy.resolve("leaderboard.csv"));
        RunStatus running = RunStatus.read(run.storage(), new RunLayout(new org.apache.hadoop.fs.Path(copy.toUri())));
        assertThat(running.rungs().get(0).trials()).isEqualTo(new RunStatus.Counts(4, 3, 0, 1));
        RunStatus.Rung open = running.rungs().get(1);
        assertThat(open.entered()).isZero();
        assertThat(open.trials()).isEqualTo(new RunStatus.Counts(6, 0, 0, 0));
        assertThat(running.grid().orElseThrow()).isEqualTo(new RunStatus.Counts(10, 3, 0, 1));
        assertThat(running.lines()).anyMatch(l -> l.contains("rung 1 of 2") && l.contains("depends on promotion")
                && l.contains("6 expected, 0 done"));
        assertThat(running.lines()).anyMatch(l -> l.contains("successive halving of 4 grid point(s)")
                && l.contains("10 expected, 3 done, 0 failed, 7 pending (1 started)"));
    }

    /** Trial directory names under {@code run}/trials → committed (has _SUCCESS). */
    static Map<String, Boolean> trialDirs(Path run) throws IOException {
        Map<String, Boolean> out = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> dirs = Files.list(run.resolve("trials"))) {
            for (Path d : dirs.toList()) {
                String name = d.getFileName().toString();
                if (Files.isDirectory(d) && !name.startsWith("_") && !name.startsWith(".")) {
                    out.put(name, Files.exists(d.resolve("_SUCCESS")));
                }
            }
        }
        return out;
    }

    @Test
    void anInterruptedRunSaysSoAndIsNotStale() throws IOException {
        Path copy = run.copy("status-interrupted", r -> {
            r.put("status", io.foldwise.store.RunState.INTERRUPTED.json());
            r.put("error", "interrupted by a signal (SIGTERM or SIGINT) with 3 trial(s) committed");
            r.put(io.foldwise.store.RunRecord.TRIALS_COMMITTED, 3);
        });
        RunStatus status = RunStatus.read(run.storage(), new RunLayout(new org.apache.hadoop.fs.Path(copy.toUri())));
        assertThat(status.state()).isEqualTo(io.foldwise.store.RunState.INTERRUPTED);
        assertThat(status.lines().get(0)).contains("interrupted").contains("3 trial(s) committed")
                .doesNotContain(RunStatus.STALE);
    }
}
