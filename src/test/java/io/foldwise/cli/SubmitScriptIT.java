package io.foldwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs ./submit.sh as a user would: a child process on the packaged jar. */
class SubmitScriptIT {
    static final Path ROOT = TestSpark.projectDir();

    @TempDir
    Path tmp;

    record Outcome(int exitCode, String stdout, String stderr) {
    }

    static Outcome submit(String... args) throws IOException, InterruptedException {
        return submit(java.util.Map.of(), args);
    }

    static Outcome submit(java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("submit.sh").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
        pb.environment().remove("SPARK_HOME");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().putAll(env);
        Path out = Files.createTempFile("submit", ".out");
        Path err = Files.createTempFile("submit", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("submit.sh timed out: " + cmd);
        }
        return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void jarNameAndMainClassComeFromThePom() throws Exception {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String artifact = first(pom, "artifactId");
        String version = first(pom, "version");
        String mainClass = first(pom, "foldwise.mainClass");
        assertThat(ROOT.resolve("target/" + artifact + "-" + version + ".jar")).exists();
        assertThat(Class.forName(mainClass, false, getClass().getClassLoader()).getName()).isEqualTo(mainClass);
        String script = Files.readString(ROOT.resolve("submit.sh"));
        assertThat(script).doesNotContain(mainClass).doesNotContain(artifact + "-" + version);
    }

    /**
     * The parallel collector for the driver and the executors by default (G1 fails to re-read large
     * cached blocks), and never a second collector beside one the user chose.
     */
    @Test
    void parallelCollectorUnlessTheUserChoseOne() throws Exception {
        String run = tmp.resolve("none").toString();
        Outcome chosen = submit(java.util.Map.of("JAVA_TOOL_OPTIONS", "-Xlog:gc:stderr"), "--verbose", "status", run);
        assertThat(chosen.stderr()).contains("Using Parallel");
        assertThat(chosen.stdout() + chosen.stderr()).containsPattern("spark.executor.extraJavaOptions.*-XX:\\+UseParallelGC");
        Outcome own = submit(java.util.Map.of("JAVA_TOOL_OPTIONS", "-XX:+UseSerialGC -Xlog:gc:stderr"), "--verbose",
                "status", run);
        assertThat(own.stderr()).contains("Using Serial").doesNotContain("Multiple garbage collectors");
        assertThat(own.stdout() + own.stderr()).contains("spark.executor.extraJavaOptions").doesNotContain("UseParallelGC");
        assertThat(own.exitCode()).isEqualTo(chosen.exitCode());
    }

    @Test
    void quickstartTrainsAndWritesTheRunDirectory() throws Exception {
        Outcome o = submit("train", "--conf", "conf/quickstart.conf", "--output", tmp.toString(), "--run-id", "q",
                "--set", "train.epochs=2");
        assertThat(o.exitCode()).as(o.stderr()).isZero();
        Path run = tmp.resolve("q");
        for (String f : List.of("run.json", "curve.csv", "metrics.json", "model.zip", "labels.json")) {
            assertThat(run.resolve(f)).as(f).isRegularFile();
        }
        assertThat(o.stdout()).contains("epoch 1:").contains("epoch 2:").contains("Spark UI");
        // Spark stays quiet: no INFO lines from Spark or DL4J on either stream
        assertThat(o.stdout() + o.stderr()).doesNotContain(" INFO ");
    }

    @Test
    void configErrorExitsTwoNamingTheKey() throws Exception {
        Outcome o = submit("train", "--conf", "conf/quickstart.conf", "--output", tmp.toString(),
                "--set", "train.epochs=0", "--set", "train.l2=-1");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.stderr()).contains("train.epochs").contains("train.l2");
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void missingDataExitsThree() throws Exception {
        Outcome o = submit("train", "--conf", "conf/quickstart.conf", "--output", tmp.toString(),
                "--set", "data.train=" + tmp.resolve("nowhere"));
        assertThat(o.exitCode()).isEqualTo(3);
        assertThat(o.stderr()).contains("nowhere");
    }

    @Test
    void unknownCommandAndHelp() throws Exception {
        assertThat(submit("bogus").exitCode()).isEqualTo(2);
        Outcome help = submit("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("train").contains("sweep");
    }

    private static String first(String pom, String tag) {
        Matcher m = Pattern.compile("<" + Pattern.quote(tag) + ">([^<]+)</" + Pattern.quote(tag) + ">").matcher(pom);
        assertThat(m.find()).as(tag).isTrue();
        return m.group(1);
    }
}
