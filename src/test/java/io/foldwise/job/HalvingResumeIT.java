package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foldwise.FoldwiseException;
import io.foldwise.TestSpark;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.report.CsvTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A random-search sweep under successive halving, run uninterrupted, and run again under a trial
 * budget that stops it in the middle of rung 0 and then re-issued without one: the resumed run
 * retrains no committed trial and reaches the same leaderboard and choice.
 */
class HalvingResumeIT {
    @TempDir
    static Path output;

    private static FoldwiseConfig config(String runId, String... extra) {
        List<String> overrides = new ArrayList<>(List.of(
                "data.train=" + TestSpark.sample("train"),
                "data.test=" + TestSpark.sample("test"),
                "data.limit=600",
                "run.output=" + output,
                "run.id=" + runId,
                "train.architecture={mlp=[16]}",
                "train.epochs=3",
                "train.trainSample=200",
                "sweep.folds=3",
                "sweep.parallelTrials=1",
                "sweep.search=random",
                "sweep.samples=3",
                "sweep.space.l2=\"loguniform(1e-5, 1e-1)\"",
                "sweep.space.learningRate=[0.001, 0.01]",
                "sweep.schedule=halving",
                "sweep.halving.eta=3",
                "learningCurve.fractions=[]"));
        overrides.addAll(List.of(extra));
        return ConfigLoader.load(null, overrides);
    }

    private static SweepJob.Result sweep(FoldwiseConfig c) {
        return new SweepJob(TestSpark.session(), c, SweepListener.NONE).run().orElseThrow();
    }

    /** Trial directory → the modification time of its _SUCCESS. */
    private static Map<String, Long> committed(String runId) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        Path trials = output.resolve(runId).resolve("trials");
        try (Stream<Path> dirs = Files.list(trials)) {
            for (Path d : dirs.toList()) {
                Path success = d.resolve("_SUCCESS");
                if (Files.exists(success)) {
                    out.put(d.getFileName().toString(), Files.getLastModifiedTime(success).toMillis());
                }
            }
        }
        return out;
    }

    @Test
    void resumeMidRungEqualsAnUninterruptedRun() throws IOException {
        SweepJob.Result whole = sweep(config("whole"));
        // Rung 0: 3 candidates x 1 fold x 1 epoch; rung 1 (the last): the best one on 3 folds x 3 epochs.
        Map<String, Long> wholeTrials = committed("whole");
        assertThat(wholeTrials.keySet()).filteredOn(id -> id.endsWith("-e1")).hasSize(3);
        assertThat(wholeTrials.keySet()).filteredOn(id -> id.endsWith("-p1000")).hasSize(3);
        CsvTable board = CsvTable.parse(Files.readString(output.resolve("whole/leaderboard.csv")));
        assertThat(board.size()).isEqualTo(3);
        int stopped = 0;
        for (int i = 0; i < board.size(); i++) {
            if (!board.text(i, "stopped_at_rung").isEmpty()) {
                stopped++;
                assertThat(board.text(i, "stopped_at_rung")).isEqualTo("0");
                assertThat(board.text(i, "rung_folds")).isEqualTo("1");
                assertThat(board.text(i, "rung_epochs")).isEqualTo("1");
                assertThat(board.number(i, "rung_accuracy_mean")).isBetween(0.0, 1.0);
                assertThat(board.text(i, "best")).isEqualTo("false");
            }
        }
        assertThat(stopped).isEqualTo(2);
        assertThat(whole.selection().row().okFolds()).isEqualTo(3);

        // Killed mid-rung: a budget of 2 trials stops rung 0 before its third candidate.
        assertThatThrownBy(() -> sweep(config("resumed", "sweep.maxTrials=2")))
                .isInstanceOf(FoldwiseException.class).hasMessageContaining("sweep.maxTrials (2)");
        Map<String, Long> before = committed("resumed");
        assertThat(before).hasSize(2);

        SweepJob.Result resumed = sweep(config("resumed"));
        Map<String, Long> after = committed("resumed");
        assertThat(after.keySet()).isEqualTo(wholeTrials.keySet());
        before.forEach((id, time) -> assertThat(after.get(id)).as("committed trial %s not retrained", id)
                .isEqualTo(time));
        assertThat(resumed.selection().point().id()).isEqualTo(whole.selection().point().id());
        assertThat(resumed.selection().row().metric()).isEqualTo(whole.selection().row().metric());
        CsvTable again = CsvTable.parse(Files.readString(output.resolve("resumed/leaderboard.csv")));
        for (int i = 0; i < board.size(); i++) {
            assertThat(again.text(i, "point_id")).isEqualTo(board.text(i, "point_id"));
            assertThat(again.text(i, "stopped_at_rung")).isEqualTo(board.text(i, "stopped_at_rung"));
            assertThat(again.text(i, "rung_accuracy_mean")).isEqualTo(board.text(i, "rung_accuracy_mean"));
        }
    }
}
