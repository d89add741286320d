package io.foldwise.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.TestSpark;
import io.foldwise.config.ConfigLoader;
import io.foldwise.job.SweepJob;
import io.foldwise.job.SweepListener;
import io.foldwise.store.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep submitted with {@code ./submit.sh sweep ... --master spark://...} to a real standalone
 * cluster (one Master, two one-core Worker JVMs on 127.0.0.1, SPARK_HOME holding only Spark's own
 * jars, so DL4J and ND4J come from the shaded application jar), compared with the same sweep in
 * local mode.
 */
class StandaloneClusterIT {
    @TempDir
    static Path tmp;

    static final ChildProcesses processes = new ChildProcesses();
    static StandaloneCluster cluster;
    static Path events;
    static Path clusterRun;
    static Path localRun;
    static String submitLog;
    static int exitCode;

    @BeforeAll
    static void runTheSameSweepOnTheClusterAndLocally() throws Exception {
        Path sparkHome = SparkHome.create(Files.createDirectories(tmp.resolve("spark-home")));
        cluster = StandaloneCluster.start(sparkHome, tmp, 2, "1g", processes);
        events = Files.createDirectories(tmp.resolve("events"));
        // A small sweep; the export directory is one both workers reach (they share this machine's
        // disk), so parameter averaging uses the export approach on the cluster too.
        Path conf = TestSpark.projectDir().resolve("conf/sweep-small.conf");
        String exportDir = "train.exportDir=\"" + tmp.resolve("export") + "\"";

        Path log = tmp.resolve("submit.log");
        List<String> cmd = List.of(TestSpark.projectDir().resolve("submit.sh").toString(),
                "--executor-memory", "768m",
                "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.dir=" + events.toUri(),
                "sweep", "--conf", conf.toString(), "--set", exportDir, "--output", tmp.resolve("cluster").toString(),
                "--run-id", "c", "--master", cluster.masterUrl);
        Map<String, String> env = new HashMap<>(cluster.env());
        env.put("FOLDWISE_DRIVER_MEMORY", "1g");
        Process submit = processes.start(cmd, TestSpark.projectDir(), env, log);
        boolean done = submit.waitFor(10, TimeUnit.MINUTES);
        submitLog = Files.readString(log, StandardCharsets.UTF_8);
        if (!done) {
            throw new AssertionError("submit.sh did not finish within 10 minutes:\n" + submitLog);
        }
        exitCode = submit.exitValue();
        clusterRun = tmp.resolve("cluster/c");

        // The same sweep in local mode (the test JVM's local[2] session: 2 cores, as the cluster has).
        new SweepJob(TestSpark.session(), ConfigLoader.load(conf, List.of("run.output=" + tmp.resolve("local"),
                "run.id=l", exportDir)), SweepListener.NONE).run();
        localRun = tmp.resolve("local/l");
    }

    @AfterAll
    static void stopCluster() {
        processes.close();
    }

    @Test
    void sweepFinishedOnTheCluster() {
        assertThat(exitCode).as(submitLog).isZero();
        JsonNode run = Json.parse(read(clusterRun.resolve("run.json")));
        assertThat(run.path("status").asText()).isEqualTo(io.foldwise.store.RunState.FINISHED.json());
        assertThat(submitLog).contains("chosen:").contains("test (read once")
                .doesNotContain("direct approach");
        for (String f : List.of("leaderboard.csv", "validation-curve.csv", "diagnosis.json", "best/model.zip",
                "best/test-metrics.json")) {
            assertThat(clusterRun.resolve(f)).as(f).isRegularFile();
        }
        assertThat(tmp.resolve("export")).as("export directories removed").isEmptyDirectory();
    }

    @Test
    void ranOnTwoExecutorsInSeparateJvms() throws IOException {
        Path log = onlyEventLog();
        Set<String> added = new TreeSet<>();
        Set<String> ranTasks = new TreeSet<>();
        boolean ended = false;
        for (String line : Files.readAllLines(log)) {
            JsonNode e = Json.parse(line);
            switch (e.path("Event").asText()) {
                case "SparkListenerExecutorAdded" -> added.add(e.path("Executor ID").asText());
                case "SparkListenerTaskEnd" -> ranTasks.add(e.path("Task Info").path("Executor ID").asText());
                case "SparkListenerApplicationEnd" -> ended = true;
                default -> { }
            }
        }
        assertThat(added).as("executors").hasSize(2);
        assertThat(ranTasks).as("executors that ran tasks").isEqualTo(added).doesNotContain("driver");
        assertThat(ended).as("application end in " + log).isTrue();
        // Each worker launched one executor JVM of this application: <work-dir>/<app-id>/<executor-id>/.
        String appId = log.getFileName().toString();
        for (Path worker : cluster.workerDirs) {
            try (Stream<Path> dirs = Files.list(worker.resolve(appId))) {
                assertThat(dirs.filter(d -> added.contains(d.getFileName().toString())).toList())
                        .as("executor of " + appId + " launched by " + worker).hasSize(1);
            }
        }
    }

    @Test
    void sameLeaderboardAndChoiceAsLocalMode() {
        // Each trial trains with one worker (2 cores, 2 trials at a time), and the refit averages two
        // workers, where a + b == b + a exactly: nothing depends on which executor finishes first.
        List<Map<String, String>> cluster = csv(read(clusterRun.resolve("leaderboard.csv")));
        List<Map<String, String>> local = csv(read(localRun.resolve("leaderboard.csv")));
        assertThat(cluster).hasSameSizeAs(local).hasSize(2);
        for (int i = 0; i < local.size(); i++) {
            Map<String, String> c = cluster.get(i);
            Map<String, String> l = local.get(i);
            assertThat(c.keySet()).isEqualTo(l.keySet());
            for (String key : l.keySet()) {
                if ((key.endsWith("_mean") || key.endsWith("_std")) && !l.get(key).isEmpty()) {
                    assertThat(Double.parseDouble(c.get(key))).as(key + " of " + l.get("label"))
                            .isCloseTo(Double.parseDouble(l.get(key)), within(1e-9));
                } else {
                    assertThat(c.get(key)).as(key).isEqualTo(l.get(key));
                }
            }
        }
        assertThat(Json.parse(read(clusterRun.resolve("best/params.json"))).path("pointId").asText())
                .isEqualTo(Json.parse(read(localRun.resolve("best/params.json"))).path("pointId").asText());
    }

    private static Path onlyEventLog() throws IOException {
        try (Stream<Path> files = Files.list(events)) {
            List<Path> logs = files.toList();
            assertThat(logs).as("event logs").hasSize(1);
            return logs.get(0);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + p, e);
        }
    }

    /** Rows of a CSV with a header line (sweep-small's labels, "l2=0.0001", hold no commas or quotes). */
    static List<Map<String, String>> csv(String text) {
        List<String[]> lines = text.lines().filter(l -> !l.isBlank()).map(l -> l.split(",", -1)).toList();
        List<Map<String, String>> rows = new ArrayList<>();
        for (String[] line : lines.subList(1, lines.size())) {
            Map<String, String> row = new java.util.LinkedHashMap<>();
            for (int i = 0; i < lines.get(0).length; i++) {
                row.put(lines.get(0)[i], line[i]);
            }
            rows.add(row);
        }
        return rows;
    }
}
