package io.foldwise.cli;

import static io.foldwise.cli.FoldwiseChild.committedFiles;
import static io.foldwise.cli.FoldwiseChild.props;
import static io.foldwise.cli.FoldwiseChild.trialCount;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.TestPause;
import io.foldwise.cluster.ChildProcesses;
import io.foldwise.store.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault-injection matrix: a real {@code foldwise sweep} child process on a tiny config, killed
 * with SIGKILL at each stage (held there by the {@link TestPause} seam), stopped by SIGINT, or
 * meeting a full disk. For each: the state it leaves, that re-issuing the command exits 0 with the
 * leaderboard of an undisturbed run, and that no committed trial file changed. The kills follow one
 * another on one run (each re-issue is killed at the next stage), which also tests resuming a run
 * killed more than once.
 */
class FaultMatrixIT {
    @TempDir
    static Path tmp;

    static final ChildProcesses processes = new ChildProcesses();
    static String cleanLeaderboard;
    static int cleanTrials;

    @BeforeAll
    static void undisturbedRun() throws Exception {
        Path log = tmp.resolve("clean.log");
        assertThat(FoldwiseChild.run(processes, Map.of(), args("clean"), log)).as(Files.readString(log)).isZero();
        cleanLeaderboard = Files.readString(run("clean").resolve("leaderboard.csv"));
        cleanTrials = (int) trialCount(committedFiles(run("clean").resolve("trials")));
        assertThat(cleanTrials).isEqualTo(4); // 2 λ x 2 folds
    }

    @AfterAll
    static void stop() {
        processes.close();
    }

    static List<String> args(String runId) {
        return FoldwiseChild.tinySweep(tmp.resolve("runs").toString(), runId);
    }

    static Path run(String runId) {
        return tmp.resolve("runs").resolve(runId);
    }

    /**
     * One run killed with SIGKILL at every stage in turn, each kill in a re-issue of the same command
     * (so every re-issue after the first also resumes a killed run), then re-issued to the end.
     * Each row: where the seam holds the sweep, run.json's status after the kill, the trials
     * committed by then.
     */
    @Test
    void killedAtEveryStageInTurnResumesToTheUndisturbedResult() throws Exception {
        String id = "kill-chain";
        String[][] stages = {{"ingest", "running", "0"}, {"trial:2", "running", "1"}, {"between", "running", "2"},
            {"refit", "running", "4"}, {"report", "finished", "4"}};
        Map<Path, byte[]> committed = Map.of();
        for (int k = 0; k < stages.length; k++) {
            String stage = stages[k][0];
            String name = stage.split(":")[0];
            Path log = tmp.resolve(id + "-" + k + ".log");
            Process p = FoldwiseChild.start(processes, props(TestPause.PAUSE_AT, stage), args(id), log);
            FoldwiseChild.awaitLog(p, log, TestPause.MARKER + name);
            FoldwiseChild.kill9(p);
            if (k > 0) {
                assertThat(Files.readString(log)).as("re-issue %d", k).contains("resuming run " + id);
            }

            JsonNode record = Json.parse(Files.readString(run(id).resolve("run.json")));
            assertThat(record.path("status").asText()).as("run.json after kill -9 at " + stage).isEqualTo(stages[k][1]);
            Map<Path, byte[]> now = committedFiles(run(id).resolve("trials"));
            assertThat(trialCount(now)).as("trials committed before the kill at " + stage)
                    .isEqualTo(Integer.parseInt(stages[k][2]));
            Map<Path, byte[]> before = committed;
            before.forEach((f, bytes) -> assertThat(now.get(f)).as("kept as committed: " + f).isEqualTo(bytes));
            committed = now;
            if (name.equals("trial")) {
                assertThat(stagingDirs(run(id).resolve("trials"))).as("the interrupted trial's staging").isNotEmpty();
            }
            if (name.equals("report")) {
                assertThat(run(id).resolve("report/index.html")).as("killed before the report").doesNotExist();
                assertThat(run(id).resolve("best/model.zip")).exists();
            }
        }

        Path log = tmp.resolve(id + "-end.log");
        assertThat(FoldwiseChild.run(processes, Map.of(), args(id), log)).as(Files.readString(log)).isZero();
        assertThat(Files.readString(log)).contains("report is missing; writing it");
        assertResumedLikeUndisturbed(id, committed);
    }

    @Test
    void sigintMarksTheRunInterruptedExits130AndResumes() throws Exception {
        String id = "sigint";
        Path log = tmp.resolve(id + "-1.log");
        Process first = FoldwiseChild.start(processes, props(TestPause.PAUSE_AT, "between"), args(id), log);
        FoldwiseChild.awaitLog(first, log, TestPause.MARKER + "between");
        FoldwiseChild.signal(first, "INT");
        assertThat(FoldwiseChild.exit(first, log)).as(Files.readString(log)).isEqualTo(130);

        JsonNode record = Json.parse(Files.readString(run(id).resolve("run.json")));
        assertThat(record.path("status").asText()).isEqualTo("interrupted");
        Map<Path, byte[]> committed = committedFiles(run(id).resolve("trials"));
        assertThat(record.path("trialsCommitted").asLong()).isEqualTo(trialCount(committed)).isEqualTo(1);
        assertThat(run(id).resolve("_lock")).as("lock released").doesNotExist();

        Path log2 = tmp.resolve(id + "-2.log");
        assertThat(FoldwiseChild.run(processes, Map.of(), args(id), log2)).as(Files.readString(log2)).isZero();
        assertResumedLikeUndisturbed(id, committed);
    }

    @Test
    void aFullDiskWhileWritingATrialStopsTheSweepWithExitOneAndTheRunResumes() throws Exception {
        String id = "disk-full";
        String output = io.foldwise.store.FaultyLocalFileSystem.SCHEME + "://" + tmp.resolve("runs");
        Map<String, String> fs = props("spark.hadoop.fs.faultyfile.impl",
                io.foldwise.store.FaultyLocalFileSystem.class.getName());
        Map<String, String> full = new java.util.LinkedHashMap<>(fs);
        // The second trial's metrics.json (written to a temporary name in its staging directory) hits a full disk.
        full.put("spark.hadoop." + io.foldwise.store.FaultyLocalFileSystem.FAIL_WRITE,
                ".*/trials/_tmp-[^/]*/\\._tmp\\.metrics\\.json\\.[^/]*");
        full.put("spark.hadoop." + io.foldwise.store.FaultyLocalFileSystem.FAIL_WRITE_NTH, "2");
        Path log = tmp.resolve(id + "-1.log");
        int code = FoldwiseChild.run(processes, full, FoldwiseChild.tinySweep(output, id), log);
        String out = Files.readString(log);
        assertThat(code).as(out).isEqualTo(1);
        assertThat(out).contains("foldwise: storage failed writing").contains("metrics.json")
                .contains("No space left on device");

        JsonNode record = Json.parse(Files.readString(run(id).resolve("run.json")));
        assertThat(record.path("status").asText()).isEqualTo("failed");
        assertThat(record.path("error").asText()).contains("No space left on device");
        Map<Path, byte[]> committed = committedFiles(run(id).resolve("trials"));
        assertThat(trialCount(committed)).as("the first trial committed before the disk filled").isEqualTo(1);
        try (Stream<Path> dirs = Files.list(run(id).resolve("trials"))) {
            assertThat(dirs.filter(d -> Files.exists(d.resolve("error.txt"))).toList())
                    .as("a full disk is not recorded as a failed point").isEmpty();
        }

        Path log2 = tmp.resolve(id + "-2.log");
        assertThat(FoldwiseChild.run(processes, fs, FoldwiseChild.tinySweep(output, id), log2))
                .as(Files.readString(log2)).isZero();
        assertResumedLikeUndisturbed(id, committed);
    }

    /** Finished, same leaderboard as the undisturbed run, every earlier commit byte for byte, a report. */
    static void assertResumedLikeUndisturbed(String id, Map<Path, byte[]> committedBefore) throws Exception {
        Path dir = run(id);
        assertThat(Json.parse(Files.readString(dir.resolve("run.json"))).path("status").asText()).isEqualTo("finished");
        assertThat(Files.readString(dir.resolve("leaderboard.csv"))).isEqualTo(cleanLeaderboard);
        Map<Path, byte[]> after = committedFiles(dir.resolve("trials"));
        assertThat(trialCount(after)).isEqualTo(cleanTrials);
        committedBefore.forEach((f, bytes) -> assertThat(after.get(f)).as("kept as committed: " + f).isEqualTo(bytes));
        assertThat(stagingDirs(dir.resolve("trials"))).as("no staging left").isEmpty();
        assertThat(dir.resolve("best/model.zip")).exists();
        assertThat(dir.resolve("report/index.html")).exists();
    }

    static List<Path> stagingDirs(Path trials) throws Exception {
        if (!Files.isDirectory(trials)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(trials)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("_")).toList();
        }
    }
}
