package io.foldwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scheduled sweep's bad days, through ./submit.sh in child JVMs: the driver killed with SIGKILL
 * mid-sweep and the same command re-issued, and every Spark task failing once. Both must end
 * exactly where an undisturbed run ends.
 */
class SweepRecoveryIT {
    static final Path ROOT = TestSpark.projectDir();

    @TempDir
    static Path tmp;

    static String cleanLeaderboard;

    static List<String> sweepArgs(String runId, String... extra) {
        List<String> args = new ArrayList<>(List.of("sweep", "--conf", "conf/sweep-quickstart.conf",
                "--output", tmp.resolve("runs").toString(), "--run-id", runId,
                "--set", "train.epochs=1", "--set", "sweep.folds=2", "--set", "learningCurve.fractions=[]",
                "--set", "sweep.grid.architecture=[{mlp=[64]}]")); // 2 points x 2 folds: 4 trials
        args.addAll(List.of(extra));
        return args;
    }

    static Process start(List<String> sparkOptions, List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("submit.sh").toString());
        cmd.addAll(sparkOptions);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("SPARK_HOME");
        return pb.start();
    }

    static int runToEnd(List<String> sparkOptions, List<String> args, Path log) throws Exception {
        Process p = start(sparkOptions, args, log);
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + args);
        }
        return p.exitValue();
    }

    @BeforeAll
    static void undisturbedRun() throws Exception {
        Path log = tmp.resolve("clean.log");
        assertThat(runToEnd(List.of(), sweepArgs("clean"), log)).as(Files.readString(log)).isZero();
        cleanLeaderboard = Files.readString(tmp.resolve("runs/clean/leaderboard.csv"));
    }

    @Test
    void killedSweepResumesWithoutRetrainingCommittedTrials() throws Exception {
        Path trials = tmp.resolve("runs/crash/trials");
        Path log = tmp.resolve("crash-1.log");
        Process first = start(List.of(), sweepArgs("crash", "--set", "run.lockStaleSeconds=5"), log);
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (committed(trials).size() < 2) {
                assertThat(first.isAlive()).as("sweep ended before it could be killed:\n" + Files.readString(log))
                        .isTrue();
                assertThat(System.nanoTime()).as("no trial committed in time").isLessThan(deadline);
                Thread.sleep(200);
            }
        } finally {
            first.descendants().forEach(ProcessHandle::destroyForcibly);
            first.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
            first.waitFor(1, TimeUnit.MINUTES);
        }
        Map<Path, FileTime> before = new LinkedHashMap<>();
        Map<Path, byte[]> bytes = new LinkedHashMap<>();
        for (Path trial : committed(trials)) {
            try (Stream<Path> files = Files.list(trial)) {
                for (Path f : files.toList()) {
                    before.put(f, Files.getLastModifiedTime(f));
                    bytes.put(f, Files.readAllBytes(f));
                }
            }
        }
        assertThat(before).isNotEmpty();
        // SIGKILL left run.json "running"; with no heartbeat for run.lockStaleSeconds status says so.
        Thread.sleep(6_500);
        assertThat(status("crash")).contains("running").contains("stale (owner gone?)");

        Path log2 = tmp.resolve("crash-2.log");
        assertThat(runToEnd(List.of(), sweepArgs("crash"), log2)).as(Files.readString(log2)).isZero();

        assertThat(Files.readString(log2)).contains("resuming run crash");
        for (Path f : before.keySet()) {
            assertThat(Files.getLastModifiedTime(f)).as("untouched: " + f).isEqualTo(before.get(f));
            assertThat(Files.readAllBytes(f)).isEqualTo(bytes.get(f));
        }
        try (Stream<Path> dirs = Files.list(trials)) {
            for (Path d : dirs.toList()) {
                assertThat(d.getFileName().toString()).as("no staging directory left").doesNotStartWith("_");
                assertThat(d.resolve("_SUCCESS")).as("complete: " + d).exists();
            }
        }
        assertThat(Files.readString(tmp.resolve("runs/crash/leaderboard.csv"))).isEqualTo(cleanLeaderboard);

        // Issued once more, the finished run does nothing and says so.
        Path log3 = tmp.resolve("crash-3.log");
        assertThat(runToEnd(List.of(), sweepArgs("crash"), log3)).isZero();
        assertThat(Files.readString(log3)).contains("already finished");
    }

    @Test
    void everyTaskFailingOnceIsRetriedAndTheSweepEndsTheSame() throws Exception {
        Path log = tmp.resolve("retry.log");
        int code = runToEnd(List.of("--conf", io.foldwise.TaskFaults.FAIL_FIRST_ATTEMPT + "=true"),
                sweepArgs("retry", "--master", "local[2,3]"), log);
        String out = Files.readString(log);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("test hook"); // the first attempts really failed
        assertThat(Files.readString(tmp.resolve("runs/retry/leaderboard.csv"))).isEqualTo(cleanLeaderboard);
    }

    @Test
    void sigtermMarksTheRunInterruptedReleasesTheLockExits143AndTheRunResumes() throws Exception {
        Path trials = tmp.resolve("runs/term/trials");
        Path log = tmp.resolve("term-1.log");
        Process first = start(List.of(), sweepArgs("term"), log);
        waitForCommits(first, trials, 1, log);
        first.destroy(); // SIGTERM to the driver JVM (submit.sh execs it)
        assertThat(first.waitFor(2, TimeUnit.MINUTES)).as("ended after SIGTERM").isTrue();
        assertThat(first.exitValue()).as(Files.readString(log)).isEqualTo(143);
        Path run = tmp.resolve("runs/term");
        com.fasterxml.jackson.databind.JsonNode record = io.foldwise.store.Json.parse(
                Files.readString(run.resolve("run.json")));
        assertThat(record.path("status").asText()).isEqualTo("interrupted");
        assertThat(record.path("finished").asText()).isNotEmpty();
        assertThat(record.path("trialsCommitted").asLong()).isEqualTo(committed(trials).size()).isPositive();
        assertThat(run.resolve("_lock")).as("lock released").doesNotExist();
        assertThat(status("term")).contains("interrupted").doesNotContain("stale");

        Path log2 = tmp.resolve("term-2.log");
        assertThat(runToEnd(List.of(), sweepArgs("term"), log2)).as(Files.readString(log2)).isZero();
        assertThat(Files.readString(tmp.resolve("runs/term/leaderboard.csv"))).isEqualTo(cleanLeaderboard);
    }

    @Test
    void aSweepWhoseLockIsTakenOverStopsWithExitOneAndWritesNothingMore() throws Exception {
        Path run = tmp.resolve("runs/taken");
        Path log = tmp.resolve("taken-1.log");
        Process first = start(List.of(), sweepArgs("taken", "--set", "run.lockStaleSeconds=5"), log);
        waitForCommits(first, run.resolve("trials"), 1, log);
        // Another process found the lock stale and created the next generation.
        Path lock = run.resolve("_lock");
        long top;
        try (Stream<Path> gens = Files.list(lock)) {
            top = gens.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+"))
                    .mapToLong(Long::parseLong).max().orElseThrow();
        }
        Path newer = lock.resolve(String.format("%012d", top + 1));
        Files.writeString(newer, "{\"host\":\"other.example\",\"pid\":7,\"started\":\"2026-12-01T00:00:00Z\"}");
        assertThat(first.waitFor(2, TimeUnit.MINUTES)).as("stopped after losing its lock").isTrue();
        String out = Files.readString(log);
        assertThat(first.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("lost its lock").contains("other.example");
        assertThat(io.foldwise.store.Json.parse(Files.readString(run.resolve("run.json"))).path("status").asText())
                .as("run.json left to the new owner").isEqualTo("running");
        assertThat(newer).as("the new owner's lock is kept").exists();
    }

    @Test
    void anOutOfMemoryErrorInATaskEndsWithExitOneAndAFailedRunNotSparksExit52() throws Exception {
        Path log = tmp.resolve("oom.log");
        // One minibatch of 2,000,000 MNIST images is 6 GB of floats: the training task runs out of heap.
        int code = runToEnd(List.of(), List.of("train", "--conf", "conf/sweep-quickstart.conf",
                "--output", tmp.resolve("runs").toString(), "--run-id", "oom", "--set", "train.epochs=1",
                "--set", "train.batchSize=2000000"), log);
        String out = Files.readString(log);
        assertThat(code).as(out).isEqualTo(1);
        assertThat(out).contains("OutOfMemoryError").contains("foldwise: failed");
        com.fasterxml.jackson.databind.JsonNode record = io.foldwise.store.Json.parse(
                Files.readString(tmp.resolve("runs/oom/run.json")));
        assertThat(record.path("status").asText()).isEqualTo("failed");
        assertThat(record.path("error").asText()).contains("OutOfMemoryError");
    }

    static void waitForCommits(Process p, Path trials, int n, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (committed(trials).size() < n) {
            assertThat(p.isAlive()).as("sweep ended too early:\n" + Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("no trial committed in time").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    static String status(String runId) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int code = io.foldwise.SmallSweep.runCli(out, new java.io.ByteArrayOutputStream(), "status",
                tmp.resolve("runs").resolve(runId).toString());
        assertThat(code).isZero();
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static List<Path> committed(Path trials) throws IOException {
        if (!Files.isDirectory(trials)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(trials)) {
            return dirs.filter(d -> Files.exists(d.resolve("_SUCCESS"))).sorted().toList();
        }
    }
}
