package io.foldwise.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.TestSpark;
import io.foldwise.config.ConfigLoader;
import io.foldwise.job.SweepJob;
import io.foldwise.job.SweepListener;
import java.io.File;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import io.foldwise.SmallSweep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep whose output and DL4J export directory are on a real HDFS (an in-process MiniDFSCluster
 * of the Hadoop version Spark uses), while Spark's default file system stays the local one: every
 * file must land on HDFS and nothing on the local disk. The status and report commands read runs
 * through the same {@link RunLayout} and {@link Storage}; once they are on this branch they belong
 * in this test too.
 */
class HdfsSweepIT {
    @TempDir
    static Path tmp;

    static MiniDFSCluster hdfs;
    static FileSystem fs;
    static String uri;
    static SweepJob.Result result;
    static Set<String> localBefore;
    static Set<String> localAfter;

    @BeforeAll
    static void sweepOntoHdfs() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("hdfs").toString());
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        fs = hdfs.getFileSystem();
        uri = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();

        localBefore = localEntries();
        result = new SweepJob(TestSpark.session(), ConfigLoader.load(
                TestSpark.projectDir().resolve("conf/sweep-small.conf"), List.of(
                        "run.output=\"" + uri + "/runs\"", "run.id=h",
                        "train.exportDir=\"" + uri + "/export\"")), SweepListener.NONE).run().orElseThrow();
        // status and report, as a user runs them against the HDFS run directory
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        statusCode = SmallSweep.runCli(out, new ByteArrayOutputStream(), "status", uri + "/runs/h");
        statusOutput = out.toString(StandardCharsets.UTF_8);
        reportCode = SmallSweep.runCli(new ByteArrayOutputStream(), new ByteArrayOutputStream(), "report",
                uri + "/runs/h");
        localAfter = localEntries();
    }

    static int statusCode;
    static String statusOutput;
    static int reportCode;

    @Test
    void statusAndReportWorkOnTheHdfsRunDirectory() throws IOException {
        assertThat(statusCode).as(statusOutput).isZero();
        assertThat(statusOutput).contains(io.foldwise.store.RunState.FINISHED.json());
        assertThat(reportCode).isZero();
        org.apache.hadoop.fs.Path report = new org.apache.hadoop.fs.Path(uri + "/runs/h/report");
        assertThat(fs.isFile(new org.apache.hadoop.fs.Path(report, "index.html"))).isTrue();
        assertThat(java.util.Arrays.stream(fs.listStatus(report)).map(s -> s.getPath().getName()))
                .anyMatch(n -> n.endsWith(".png"));
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown(true);
        }
    }

    @Test
    void everyFileOfTheRunIsOnHdfs() throws IOException {
        assertThat(result.layout().runDir().toString()).isEqualTo(uri + "/runs/h");
        org.apache.hadoop.fs.Path run = new org.apache.hadoop.fs.Path(uri + "/runs/h");
        for (String f : List.of("run.json", "leaderboard.csv", "validation-curve.csv", "diagnosis.json",
                "best/model.zip", "best/labels.json", "best/params.json", "best/test-metrics.json",
                "best/confusion.csv")) {
            assertThat(fs.isFile(new org.apache.hadoop.fs.Path(run, f))).as(f).isTrue();
        }
        FileStatus[] trials = fs.listStatus(new org.apache.hadoop.fs.Path(run, "trials"));
        assertThat(trials).hasSize(4);
        for (FileStatus t : trials) {
            assertThat(fs.isFile(new org.apache.hadoop.fs.Path(t.getPath(), "_SUCCESS"))).as(t.getPath().toString())
                    .isTrue();
        }
        JsonNode record = Json.parse(new Storage(fs.getConf()).readString(new org.apache.hadoop.fs.Path(run,
                "run.json")));
        assertThat(record.path("status").asText()).isEqualTo(io.foldwise.store.RunState.FINISHED.json());
        assertThat(fs.exists(new org.apache.hadoop.fs.Path(run, "_work"))).as("scratch removed").isFalse();
    }

    @Test
    void filesAreReplacedWithoutADeleteWindowAndTrialsCommitIntoAbsentTargets() throws Exception {
        Storage storage = new Storage(fs.getConf());
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(uri + "/atomic/run.json");
        storage.writeString(target, "0");
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger missing = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CompletableFuture<Void> reader = java.util.concurrent.CompletableFuture.runAsync(() -> {
            while (writing.get()) {
                try {
                    storage.readString(target);
                } catch (RuntimeException e) {
                    missing.incrementAndGet();
                }
            }
        });
        for (int i = 1; i <= 200; i++) {
            storage.writeString(target, Integer.toString(i));
        }
        writing.set(false);
        reader.join();
        assertThat(missing.get()).as("reads that found no run.json").isZero();
        assertThat(storage.readString(target)).isEqualTo("200");
        assertThat(storage.list(target.getParent())).containsExactly("run.json");

        RunLayout layout = RunLayout.of(new org.apache.hadoop.fs.Path(uri + "/atomic"), "r");
        TrialStore trials = new TrialStore(storage, layout);
        for (int attempt = 1; attempt <= 2; attempt++) {
            RunLayout.TrialLayout staged = trials.stage("p-f0-p1000");
            storage.writeString(staged.paramsJson(), "{}");
            storage.writeString(staged.curveCsv(), "epoch");
            storage.writeString(staged.metricsJson(), "{\"attempt\": " + attempt + "}");
            assertThat(trials.commit(staged, "p-f0-p1000", true)).isEqualTo(attempt == 1);
        }
        // HDFS moves a directory renamed onto an existing one inside it; the commit never does that.
        assertThat(storage.list(layout.trial("p-f0-p1000").dir()))
                .containsExactlyInAnyOrder("params.json", "curve.csv", "metrics.json", "_SUCCESS");
        assertThat(trials.doneMetrics("p-f0-p1000").orElseThrow().path("attempt").asInt()).isEqualTo(1);
    }

    @Test
    void minibatchesWereExportedToHdfsAndRemoved() throws IOException {
        // DL4J's export approach wrote each training job's minibatches under train.exportDir ...
        org.apache.hadoop.fs.Path export = new org.apache.hadoop.fs.Path(uri + "/export");
        assertThat(fs.getFileStatus(export).isDirectory()).isTrue();
        // ... and each job deleted its own directory when done.
        assertThat(fs.listStatus(export)).isEmpty();
    }

    @Test
    void nothingWasWrittenToTheLocalDisk() {
        assertThat(localAfter).isEqualTo(localBefore);
    }

    /**
     * Where a misrouted path would land: the working directory (a relative "runs", "hdfs:" or
     * "export"), the temporary directory and Hadoop's default DL4J export directory
     * ({hadoop.tmp.dir}/dl4j).
     */
    static Set<String> localEntries() throws IOException {
        Set<String> names = new TreeSet<>();
        String hadoopTmp = TestSpark.session().sparkContext().hadoopConfiguration().get("hadoop.tmp.dir");
        for (Path dir : List.of(TestSpark.projectDir(), Path.of(hadoopTmp, "dl4j"), TestSpark.projectDir().resolve("runs"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    entries.filter(p -> !p.getFileName().toString().equals("target"))
                            .forEach(p -> names.add(p.toString()));
                }
            }
        }
        for (File f : new File(System.getProperty("java.io.tmpdir")).listFiles((d, n) -> n.startsWith("hdfs")
                || n.equals("export") || n.equals("runs"))) {
            names.add(f.toString());
        }
        return names;
    }
}
