package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foldwise.FoldwiseException;
import io.foldwise.TestSpark;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.config.InvalidConfigException;
import io.foldwise.select.Leaderboard;
import io.foldwise.select.TrialId;
import io.foldwise.store.Json;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resume, finished runs, config changes, locks and failing trials, with real (tiny) sweeps. */
class ReliabilityIT {
    @TempDir
    Path tmp;

    private final Storage storage = new Storage(TestSpark.session().sparkContext().hadoopConfiguration());

    private FoldwiseConfig config(String runId, String... extra) {
        List<String> sets = new ArrayList<>(List.of(
                "data.train=" + TestSpark.sample("train"),
                "data.test=" + TestSpark.sample("test"),
                "run.output=" + tmp.resolve("runs"),
                "run.id=" + runId,
                "train.epochs=1",
                "train.architecture={mlp=[32]}",
                "sweep.folds=2",
                "sweep.grid.l2=[1e-4, 1e-2]",
                "learningCurve.fractions=[]"));
        sets.addAll(List.of(extra));
        return ConfigLoader.load(null, sets);
    }

    private SweepJob.Result sweep(FoldwiseConfig config) {
        return new SweepJob(TestSpark.session(), config, SweepListener.NONE).run().orElseThrow();
    }

    private Path runDir(String runId) {
        return tmp.resolve("runs").resolve(runId);
    }

    @Test
    void resumeKeepsCommittedTrialsRetrainsTheRestAndEndsWhereAnUninterruptedRunEnds() throws IOException {
        SweepJob.Result clean = sweep(config("clean"));
        SweepJob.Result first = sweep(config("resumed"));
        Path trials = runDir("resumed").resolve("trials");
        List<Path> dirs;
        try (Stream<Path> s = Files.list(trials)) {
            dirs = s.sorted().toList();
        }
        // Simulate a crash: two trials never committed, one half-written staging directory.
        Files.delete(dirs.get(0).resolve("_SUCCESS"));
        Files.delete(dirs.get(1).resolve("_SUCCESS"));
        Files.createDirectories(trials.resolve("_tmp-" + dirs.get(2).getFileName() + "-x")).resolve("curve.csv");
        Files.writeString(runDir("resumed").resolve("run.json"),
                Files.readString(runDir("resumed").resolve("run.json")).replace("\"finished\"", "\"running\""));
        Map<Path, byte[]> kept = new LinkedHashMap<>();
        Map<Path, Long> keptTimes = new LinkedHashMap<>();
        for (Path d : dirs.subList(2, dirs.size())) {
            Path metrics = d.resolve("metrics.json");
            kept.put(metrics, Files.readAllBytes(metrics));
            keptTimes.put(metrics, Files.getLastModifiedTime(metrics).toMillis());
        }

        SweepJob.Result resumed = sweep(config("resumed"));

        for (Path metrics : kept.keySet()) {
            assertThat(Files.readAllBytes(metrics)).as("committed trial untouched: " + metrics)
                    .isEqualTo(kept.get(metrics));
            assertThat(Files.getLastModifiedTime(metrics).toMillis()).isEqualTo(keptTimes.get(metrics));
        }
        assertThat(dirs.get(0).resolve("_SUCCESS")).exists();
        assertThat(dirs.get(1).resolve("_SUCCESS")).exists();
        try (Stream<Path> s = Files.list(trials)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("_"));
        }
        assertThat(Files.readString(runDir("resumed").resolve("leaderboard.csv")))
                .isEqualTo(Files.readString(runDir("clean").resolve("leaderboard.csv")));
        assertThat(resumed.selection().point().id()).isEqualTo(clean.selection().point().id());
        assertThat(resumed.test().accuracy()).isEqualTo(clean.test().accuracy());
        assertThat(first.selection().point().id()).isEqualTo(clean.selection().point().id());
    }

    @Test
    void finishedRunIsNotRerunUnlessForced() throws IOException {
        sweep(config("done"));
        Path leaderboard = runDir("done").resolve("leaderboard.csv");
        long before = Files.getLastModifiedTime(leaderboard).toMillis();
        Optional<SweepJob.Result> again = new SweepJob(TestSpark.session(), config("done"), SweepListener.NONE).run();
        assertThat(again).isEmpty();
        assertThat(Files.getLastModifiedTime(leaderboard).toMillis()).isEqualTo(before);

        Optional<SweepJob.Result> forced = new SweepJob(TestSpark.session(), config("done"), SweepListener.NONE,
                true).run();
        assertThat(forced).isPresent();
        assertThat(Files.getLastModifiedTime(leaderboard).toMillis()).isGreaterThanOrEqualTo(before);
        assertThat(Json.parse(Files.readString(runDir("done").resolve("run.json"))).path("status").asText())
                .isEqualTo(io.foldwise.store.RunState.FINISHED.json());
    }

    @Test
    void aTrialCutShortWhileCommittedIsRetrainedAndACorruptRunJsonNeedsForce() throws IOException {
        SweepJob.Result clean = sweep(config("cut"));
        Path run = runDir("cut");
        Path trial;
        try (Stream<Path> s = Files.list(run.resolve("trials"))) {
            trial = s.sorted().findFirst().orElseThrow();
        }
        byte[] metrics = Files.readAllBytes(trial.resolve("metrics.json"));
        String leaderboard = Files.readString(run.resolve("leaderboard.csv"));
        // A commit cut short on a store whose rename copies: _SUCCESS there, metrics.json not.
        Files.delete(trial.resolve("metrics.json"));
        Files.writeString(run.resolve("run.json"),
                Files.readString(run.resolve("run.json")).replace("\"finished\"", "\"running\""));
        SweepJob.Result resumed = sweep(config("cut"));
        assertThat(trial.resolve("metrics.json")).as("retrained, not an error").exists();
        // The same result (all but the time it took).
        com.fasterxml.jackson.databind.node.ObjectNode retrained =
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(Files.readString(trial.resolve("metrics.json")));
        com.fasterxml.jackson.databind.node.ObjectNode original =
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(new String(metrics, java.nio.charset.StandardCharsets.UTF_8));
        retrained.remove("seconds");
        original.remove("seconds");
        assertThat(retrained).isEqualTo(original);
        assertThat(Files.readString(run.resolve("leaderboard.csv"))).isEqualTo(leaderboard);
        assertThat(resumed.test().accuracy()).isEqualTo(clean.test().accuracy());

        String full = Files.readString(run.resolve("run.json"));
        Files.writeString(run.resolve("run.json"), full.substring(0, full.length() / 2));
        assertThatThrownBy(() -> sweep(config("cut")))
                .isInstanceOfSatisfying(FoldwiseException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining(run.resolve("run.json").toUri().getPath().replaceAll("/$", ""))
                .hasMessageContaining("--force");
        assertThat(new SweepJob(TestSpark.session(), config("cut"), SweepListener.NONE, true).run()).isPresent();
        assertThat(Json.parse(Files.readString(run.resolve("run.json"))).path("status").asText())
                .isEqualTo(io.foldwise.store.RunState.FINISHED.json());
        assertThat(Files.readString(run.resolve("leaderboard.csv"))).isEqualTo(leaderboard);
    }

    @Test
    void resumeIsRefusedWhenTheDataOrTheWayTrialsTrainChangedUnlessAllowed() throws IOException {
        Path train = tmp.resolve("train-copy");
        io.foldwise.SmallSweep.copyTree(TestSpark.sample("train"), train);
        FoldwiseConfig config = config("drift", "data.train=" + train);
        sweep(config);
        Path run = runDir("drift");
        String fingerprint = Json.parse(Files.readString(run.resolve("run.json"))).path("data").path("fingerprint")
                .asText();
        markRunning(run);
        // One training image edited in place: same path, other pixels.
        Path image;
        try (Stream<Path> files = Files.walk(train)) {
            image = files.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        }
        io.foldwise.ingest.TestImages.write(image, io.foldwise.ingest.TestImages.gray(28, 28, 77));
        assertThatThrownBy(() -> sweep(config))
                .isInstanceOfSatisfying(FoldwiseException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("changed").hasMessageContaining(fingerprint)
                .hasMessageContaining("--allow-data-change").hasMessageContaining("--force");
        assertThat(Json.parse(Files.readString(run.resolve("run.json"))).path("data").path("fingerprint").asText())
                .as("the refused resume keeps the fingerprint the trials were trained on").isEqualTo(fingerprint);
        assertThatThrownBy(() -> sweep(config)).as("refused again").hasMessageContaining("--allow-data-change");
        SweepJob.Result allowed = new SweepJob(TestSpark.session(), config, SweepListener.NONE, false, true,
                layout -> { }).run().orElseThrow();
        assertThat(allowed.layout().runId()).isEqualTo("drift");
        assertThat(Json.parse(Files.readString(run.resolve("run.json"))).path("data").path("fingerprint").asText())
                .isNotEqualTo(fingerprint);

        // A run written by a Foldwise that trains trials differently is not resumed, whatever the data.
        com.fasterxml.jackson.databind.node.ObjectNode record =
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(Files.readString(run.resolve("run.json")));
        record.put("status", "running");
        ((com.fasterxml.jackson.databind.node.ObjectNode) record.path("provenance")).put("resultsVersion", 0);
        Files.writeString(run.resolve("run.json"), Json.render(record));
        assertThatThrownBy(() -> sweep(config))
                .isInstanceOfSatisfying(FoldwiseException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("results version 0").hasMessageContaining("--force");
        assertThat(new SweepJob(TestSpark.session(), config, SweepListener.NONE, true).run()).isPresent();
    }

    private static void markRunning(Path run) throws IOException {
        Files.writeString(run.resolve("run.json"),
                Files.readString(run.resolve("run.json")).replace("\"finished\"", "\"running\""));
    }

    @Test
    void resumingWithAnotherConfigIsRefusedListingTheKeys() {
        sweep(config("changed"));
        assertThatThrownBy(() -> sweep(config("changed", "train.epochs=2", "sweep.folds=3")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("train.epochs: was 1, now 2")
                .hasMessageContaining("sweep.folds: was 2, now 3")
                .hasMessageContaining("--run-id");
    }

    @Test
    void foreignDirectoryIsRefusedAndLeftAlone() throws IOException {
        Path foreign = Files.createDirectories(runDir("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> sweep(config("foreign")))
                .isInstanceOfSatisfying(FoldwiseException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("not a Foldwise run").hasMessageContaining("notes.txt");
        assertThat(Files.readString(foreign.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test
    void liveLockRefusesASecondSweepAndAStaleOneIsTakenOver() throws IOException {
        Path dir = Files.createDirectories(runDir("locked"));
        Path lock = dir.resolve("_lock");
        Files.writeString(lock, "{\"host\":\"elsewhere.example\",\"pid\":4242,"
                + "\"started\":\"2026-11-29T01:02:03Z\",\"token\":\"t\"}");
        assertThatThrownBy(() -> sweep(config("locked")))
                .isInstanceOfSatisfying(FoldwiseException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("elsewhere.example").hasMessageContaining("4242")
                .hasMessageContaining("2026-11-29T01:02:03Z");
        assertThat(dir.resolve("run.json")).doesNotExist();

        // The same lock, not refreshed for longer than run.lockStaleSeconds: its owner is gone.
        Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 60_000));
        SweepJob.Result result = sweep(config("locked", "run.lockStaleSeconds=30"));
        assertThat(result.layout().runId()).isEqualTo("locked");
        assertThat(lock).as("released at the end").doesNotExist();
    }

    @Test
    void divergingPointIsRecordedAsFailedAndTheOthersAreChosenFrom() {
        SweepJob.Result result = sweep(config("diverging", "sweep.grid.learningRate=[1e-3, 1e3]"));
        RunLayout layout = result.layout();
        Leaderboard.Row failed = result.leaderboard().rows().stream()
                .filter(r -> r.point().train().learningRate() == 1e3).findFirst().orElseThrow();
        assertThat(failed.failedFolds()).isEqualTo(2);
        assertThat(failed.choosable()).isFalse();
        assertThat(result.selection().point().train().learningRate()).isEqualTo(1e-3);
        for (int f = 0; f < 2; f++) {
            RunLayout.TrialLayout trial = layout.trial(new TrialId(failed.point().id(), f, 1.0).value());
            assertThat(storage.exists(trial.success())).isFalse();
            assertThat(storage.readString(trial.errorTxt())).contains("diverged");
        }
        assertThat(storage.readString(layout.leaderboardCsv())).contains(failed.point().id());
    }

    @Test
    void failFastStopsAtTheFirstFailure() {
        assertThatThrownBy(() -> sweep(config("fast", "sweep.grid.learningRate=[1e3]", "sweep.grid.l2=[1e-4]",
                "sweep.failFast=true")))
                .isInstanceOfSatisfying(FoldwiseException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                .hasMessageContaining("sweep.failFast").hasMessageContaining("diverged");
    }

    @Test
    void everyPointFailingExitsOneWithASummary() {
        assertThatThrownBy(() -> sweep(config("allfail", "sweep.grid.learningRate=[1e3, 1e4]")))
                .isInstanceOfSatisfying(FoldwiseException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                .hasMessageContaining("diverged");
        assertThat(Json.parse(storage.readString(new RunLayout(new org.apache.hadoop.fs.Path(
                runDir("allfail").toUri())).runJson())).path("status").asText()).isEqualTo(io.foldwise.store.RunState.FAILED.json());
    }
}
