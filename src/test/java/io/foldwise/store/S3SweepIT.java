package io.foldwise.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestPause;
import io.foldwise.TestSpark;
import io.foldwise.cluster.ChildProcesses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep whose run directory (and with it the export directory of its shards and its lock) is on
 * S3, through Hadoop's s3a client against a real S3 API server: Adobe's S3Mock, started as its own
 * process on a free port. An undisturbed sweep leaves a complete run there; a sweep killed with
 * SIGKILL in the middle of a trial's commit (renamed into place, {@code _SUCCESS} not yet written)
 * leaves that trial incomplete, and the re-issued command retrains it and ends with the undisturbed
 * leaderboard, the trial committed before untouched.
 */
class S3SweepIT {
    static final String BUCKET = "foldwise";

    @TempDir
    static Path tmp;

    static final ChildProcesses processes = new ChildProcesses();
    static Map<String, String> s3a;
    static FileSystem fs;
    static String cleanLeaderboard;

    @BeforeAll
    static void startS3MockAndRunASweep() throws Exception {
        Path jar = TestSpark.projectDir().resolve("target/s3mock/s3mock-exec.jar");
        assertThat(jar).as("S3Mock's jar, copied by the dependency plugin in pre-integration-test").exists();
        int port = freePort();
        processes.start(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", jar.toString(), "--com.adobe.testing.s3mock.httpPort=" + port, "--server.port=" + freePort(),
                "--com.adobe.testing.s3mock.domain.initialBuckets=" + BUCKET,
                "--com.adobe.testing.s3mock.domain.root=" + tmp.resolve("s3"), "--spring.main.banner-mode=off"),
                tmp, Map.of(), tmp.resolve("s3mock.log"));
        awaitPort(port);
        s3a = new LinkedHashMap<>();
        s3a.put("fs.s3a.endpoint", "http://localhost:" + port);
        s3a.put("fs.s3a.endpoint.region", "us-west-2");
        s3a.put("fs.s3a.path.style.access", "true");
        s3a.put("fs.s3a.connection.ssl.enabled", "false");
        s3a.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        s3a.put("fs.s3a.access.key", "foldwise-test");
        s3a.put("fs.s3a.secret.key", "foldwise-test");
        s3a.put("fs.s3a.change.detection.mode", "none");
        s3a.put("fs.s3a.change.detection.version.required", "false");
        s3a.put("fs.s3a.attempts.maximum", "3");
        s3a.put("fs.s3a.retry.limit", "3");
        Configuration conf = new Configuration();
        s3a.forEach(conf::set);
        fs = FileSystem.newInstance(URI.create("s3a://" + BUCKET + "/"), conf);

        Path log = tmp.resolve("clean.log");
        assertThat(io.foldwise.cli.FoldwiseChild.run(processes, sparkProps(Map.of()), sweep("clean"), log))
                .as(Files.readString(log)).isZero();
        cleanLeaderboard = read("runs/clean/leaderboard.csv");
    }

    @AfterAll
    static void stop() throws IOException {
        if (fs != null) {
            fs.close();
        }
        processes.close();
    }

    @Test
    void anUndisturbedSweepLeavesACompleteRunOnS3() throws Exception {
        assertThat(io.foldwise.store.Json.parse(read("runs/clean/run.json")).path("status").asText())
                .isEqualTo("finished");
        Map<String, Boolean> trials = trialStates("clean");
        assertThat(trials).hasSize(4).allSatisfy((id, done) -> assertThat(done).as("_SUCCESS in " + id).isTrue());
        for (String file : List.of("best/model.zip", "best/test-metrics.json", "report/index.html", "diagnosis.json")) {
            assertThat(exists("runs/clean/" + file)).as(file).isTrue();
        }
        assertThat(exists("runs/clean/_lock")).as("lock released").isFalse();
        assertThat(exists("runs/clean/_work")).as("shards (the export directory) removed").isFalse();
    }

    @Test
    void aSweepKilledInTheMiddleOfATrialsCommitResumesToTheUndisturbedLeaderboard() throws Exception {
        String id = "crash";
        Path log = tmp.resolve(id + "-1.log");
        Process first = io.foldwise.cli.FoldwiseChild.start(processes,
                sparkProps(Map.of(TestPause.PAUSE_AT, "commit:2")), sweep(id), log);
        io.foldwise.cli.FoldwiseChild.awaitLog(first, log, TestPause.MARKER + "commit");
        io.foldwise.cli.FoldwiseChild.kill9(first);

        // The second trial was renamed (copied) into trials/ but has no _SUCCESS: not a result.
        Map<String, Boolean> trials = trialStates(id);
        assertThat(trials.values()).containsExactlyInAnyOrder(true, false);
        String committed = trials.entrySet().stream().filter(Map.Entry::getValue).findFirst().orElseThrow().getKey();
        String committedMetrics = read("runs/" + id + "/trials/" + committed + "/metrics.json");
        assertThat(io.foldwise.store.Json.parse(read("runs/" + id + "/run.json")).path("status").asText())
                .isEqualTo("running");

        Path log2 = tmp.resolve(id + "-2.log");
        assertThat(io.foldwise.cli.FoldwiseChild.run(processes, sparkProps(Map.of()), sweep(id), log2))
                .as(Files.readString(log2)).isZero();
        assertThat(Files.readString(log2)).contains("resuming run " + id);
        assertThat(trialStates(id)).hasSize(4).allSatisfy((t, done) -> assertThat(done).isTrue());
        assertThat(read("runs/" + id + "/trials/" + committed + "/metrics.json")).isEqualTo(committedMetrics);
        assertThat(read("runs/" + id + "/leaderboard.csv")).isEqualTo(cleanLeaderboard);
        assertThat(exists("runs/" + id + "/report/index.html")).isTrue();
    }

    static List<String> sweep(String runId) {
        return io.foldwise.cli.FoldwiseChild.tinySweep("s3a://" + BUCKET + "/runs", runId);
    }

    static Map<String, String> sparkProps(Map<String, String> extra) {
        Map<String, String> out = new LinkedHashMap<>();
        s3a.forEach((k, v) -> out.put("spark.hadoop." + k, v));
        out.putAll(extra);
        return out;
    }

    /** Each trial directory of the run: whether it has _SUCCESS. */
    static Map<String, Boolean> trialStates(String runId) throws IOException {
        Map<String, Boolean> out = new TreeMap<>();
        org.apache.hadoop.fs.Path trials = new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/runs/" + runId + "/trials");
        for (FileStatus s : fs.listStatus(trials)) {
            String name = s.getPath().getName();
            if (!name.startsWith("_") && !name.startsWith(".")) {
                out.put(name, fs.exists(new org.apache.hadoop.fs.Path(s.getPath(), "_SUCCESS")));
            }
        }
        return out;
    }

    static boolean exists(String key) throws IOException {
        return fs.exists(new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/" + key));
    }

    static String read(String key) throws IOException {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/" + key))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            try (Socket s = new Socket("localhost", port)) {
                return;
            } catch (IOException e) {
                assertThat(System.nanoTime()).as("S3Mock listening on " + port + ":\n"
                        + Files.readString(tmp.resolve("s3mock.log"))).isLessThan(deadline);
                Thread.sleep(500);
            }
        }
    }
}
