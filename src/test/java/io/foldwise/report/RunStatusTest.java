package io.foldwise.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.SmallSweep;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
