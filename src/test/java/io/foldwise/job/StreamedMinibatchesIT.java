package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestSpark;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory per task is bounded by the minibatch, not the fold. In Deeplearning4j 1.0.0-M2 on CPU,
 * ND4J's arrays are allocated natively outside JavaCPP's accounting, so
 * {@code org.bytedeco.javacpp.maxbytes} does not bound them (measured: a 60 MB array is allocated
 * under a 32 MB maxbytes); the process's data segment limit (RLIMIT_DATA) does. So each child JVM
 * ({@link BoundedTrial}) prepares the same sweep, caps its own data segment at what it uses plus
 * {@link #BUDGET}, and then either trains a trial over a fold several times larger than the budget
 * (it completes: minibatches are streamed) or holds that fold as minibatches (it fails).
 */
class StreamedMinibatchesIT {
    private static final int ROWS = 24_000;
    private static final long BUDGET = 192L << 20;

    @TempDir
    Path tmp;

    @Test
    void trialOverAFoldLargerThanTheMemoryBudgetCompletes() throws Exception {
        long foldBytes = (long) ROWS * BoundedTrial.SIDE * BoundedTrial.SIDE * Float.BYTES;
        assertThat(foldBytes).as("the trial's training fold, materialised").isGreaterThan(BUDGET);

        Path streamLog = tmp.resolve("stream.log");
        int streamed = child("stream", tmp.resolve("stream"), streamLog);
        String out = Files.readString(streamLog);
        assertThat(streamed).as(out).isZero();
        assertThat(out).contains("capped at", "trial committed");

        Path heldLog = tmp.resolve("materialise.log");
        int held = child("materialise", tmp.resolve("materialise"), heldLog);
        String heldOut = Files.readString(heldLog);
        assertThat(held).as(heldOut).isNotZero();
        assertThat(heldOut).contains("capped at").doesNotContain("materialised");
        // It got somewhere before the cap stopped it: the budget, not anything else, was exhausted.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("held (\\d+) bytes").matcher(heldOut);
        long last = 0;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        assertThat(last).as("bytes of minibatches held when the cap stopped it").isGreaterThan(BUDGET / 2)
                .isLessThan(foldBytes);
    }

    private static int child(String mode, Path scratch, Path log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
        // A fully committed heap counts before the cap, so the budget is native memory only.
        // The JVM's own native memory (JIT arenas, collector) counts against the cap too: the serial
        // collector and the client compiler keep it small and steady.
        cmd.addAll(List.of("-Xms768m", "-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dspark.ui.enabled=false", "-XX:ErrorFile=" + log.resolveSibling(mode + "-hs_err_%p.log"),
                "-cp", System.getProperty("java.class.path"), BoundedTrial.class.getName(),
                mode, String.valueOf(ROWS), String.valueOf(BUDGET), scratch.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(TestSpark.projectDir().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("MALLOC_ARENA_MAX", "2");
        Process p = pb.start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("timed out: " + mode + "\n" + Files.readString(log));
        }
        return p.exitValue();
    }
}
