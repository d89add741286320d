package io.foldwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.SmallSweep;
import io.foldwise.TestSpark;
import io.foldwise.cluster.ChildProcesses;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code foldwise} commands in child JVMs on the test classpath (so test-scope file systems such as
 * {@code io.foldwise.store.FaultyLocalFileSystem} and s3a are there), as {@code submit.sh} runs them in local mode: the
 * same {@code --add-opens}, log configuration and {@code OMP_NUM_THREADS=1}. System properties
 * {@code spark.*} become Spark settings, e.g. {@code spark.hadoop.fs.*} or the fault seam
 * {@link io.foldwise.TestPause#PAUSE_AT}. The processes are stopped by {@link ChildProcesses}.
 */
public final class FoldwiseChild {
    private FoldwiseChild() {
    }

    /** A tiny sweep's arguments ({@link SmallSweep#tinyOverrides}, 2 λ x 2 folds, 1 epoch, one trial at a time). */
    public static List<String> tinySweep(String output, String runId, String... extra) {
        List<String> args = new ArrayList<>(List.of("sweep", "--master", "local[2]"));
        List<String> sets = new ArrayList<>(List.of("train.epochs=1", "sweep.folds=2", "sweep.grid.l2=[1e-4,1e-2]",
                "sweep.parallelTrials=1"));
        sets.addAll(List.of(extra));
        for (String s : SmallSweep.tinyOverrides(output, runId, sets.toArray(String[]::new))) {
            args.add("--set");
            args.add(s);
        }
        return args;
    }

    public static Process start(ChildProcesses processes, Map<String, String> properties, List<String> args, Path log)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
        cmd.addAll(List.of("-Xmx1g", "-Dspark.ui.enabled=false",
                "-Dlog4j2.configurationFile=file:" + TestSpark.projectDir().resolve("conf/log4j2.properties")));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return processes.start(cmd, TestSpark.projectDir(), Map.of("OMP_NUM_THREADS", "1"), log);
    }

    /** Runs a command to its end; its exit code. */
    public static int run(ChildProcesses processes, Map<String, String> properties, List<String> args, Path log)
            throws Exception {
        return exit(start(processes, properties, args, log), log);
    }

    public static int exit(Process p, Path log) throws Exception {
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            ChildProcesses.stopTree(p.toHandle());
            throw new AssertionError("timed out:\n" + Files.readString(log));
        }
        return p.exitValue();
    }

    /** Waits until the log holds {@code text} (the process must stay alive meanwhile). */
    public static void awaitLog(Process p, Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.readString(log).contains(text)) {
            assertThat(p.isAlive()).as("ended before printing '" + text + "':\n" + Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("no '" + text + "' in time:\n" + Files.readString(log))
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** SIGKILL: no shutdown hook, no cleanup. */
    public static void kill9(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).as("killed").isTrue();
    }

    /** Sends {@code signal} (e.g. {@code INT}) to the process. */
    public static void signal(Process p, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor()).isZero();
    }

    /** Every file under the committed trials ({@code _SUCCESS} present) of {@code trials}, with its bytes. */
    public static Map<Path, byte[]> committedFiles(Path trials) throws IOException {
        Map<Path, byte[]> out = new TreeMap<>();
        if (!Files.isDirectory(trials)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(trials)) {
            for (Path d : dirs.filter(d -> Files.exists(d.resolve("_SUCCESS"))).toList()) {
                try (Stream<Path> files = Files.list(d)) {
                    for (Path f : files.toList()) {
                        out.put(f, Files.readAllBytes(f));
                    }
                }
            }
        }
        return out;
    }

    /** The number of committed trials among {@code files} ({@link #committedFiles}). */
    public static long trialCount(Map<Path, byte[]> files) {
        return files.keySet().stream().map(Path::getParent).distinct().count();
    }

    public static Map<String, String> props(String... keyValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put(keyValues[i], keyValues[i + 1]);
        }
        return out;
    }
}
