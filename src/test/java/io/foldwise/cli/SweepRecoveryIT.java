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
                "--set", "train.epochs=2", "--set", "sweep.folds=2", "--set", "learningCurve.fractions=[]"));
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
        Process first = start(List.of(), sweepArgs("crash"), log);
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

    private static List<Path> committed(Path trials) throws IOException {
        if (!Files.isDirectory(trials)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(trials)) {
            return dirs.filter(d -> Files.exists(d.resolve("_SUCCESS"))).sorted().toList();
        }
    }
}
