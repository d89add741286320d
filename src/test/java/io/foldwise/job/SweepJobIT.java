package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.TestSpark;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.ingest.Ingestor;
import io.foldwise.ingest.LabeledImages;
import io.foldwise.select.Leaderboard;
import io.foldwise.select.Selection;
import io.foldwise.select.TrialId;
import io.foldwise.select.TrialResult;
import io.foldwise.store.Json;
import io.foldwise.store.ModelFiles;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import io.foldwise.train.Evaluation;
import io.foldwise.train.Evaluator;
import io.foldwise.train.Tensorizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart sweep, end to end, once for the class. Its test set does not exist until the
 * refit has finished: had the sweep read it any earlier, the run would have failed.
 */
class SweepJobIT {
    @TempDir
    static Path tmp;

    static FoldwiseConfig config;
    static SweepJob.Result result;
    static Storage storage;
    static final List<String> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void sweep() {
        // The test set's listing is checked at start-up; its pixels must not be read before the
        // refit: until then every file of it is garbage, which decoding would refuse (exit 3).
        Path testDir = tmp.resolve("test-pixels-appear-after-refit");
        copyTree(TestSpark.sample("test"), testDir, true);
        config = ConfigLoader.load(TestSpark.projectDir().resolve("conf/sweep-quickstart.conf"), List.of(
                "data.train=" + TestSpark.sample("train"),
                "data.test=" + testDir,
                "run.output=" + tmp.resolve("runs"),
                "run.id=quick",
                "train.epochs=1",
                "sweep.folds=2",
                "learningCurve.fractions=[0.5, 1.0]"));
        result = new SweepJob(TestSpark.session(), config, new SweepListener() {
            @Override
            public void trialFinished(TrialResult r, boolean resumed) {
                events.add("trial");
            }

            @Override
            public void selected(Selection selection) {
                events.add("selected");
            }

            @Override
            public void refitFinished() {
                events.add("refit");
                copyTree(TestSpark.sample("test"), testDir, false);
            }

            @Override
            public void testSetRead() {
                events.add("test");
            }
        }).run().orElseThrow();
        storage = new Storage(TestSpark.session().sparkContext().hadoopConfiguration());
    }

    @Test
    void testSetIsReadOnceAndOnlyAfterSelectionAndRefit() {
        assertThat(events).last().isEqualTo("test");
        assertThat(events).filteredOn("test"::equals).hasSize(1);
        int selected = events.indexOf("selected");
        int refit = events.indexOf("refit");
        assertThat(selected).isPositive();
        assertThat(refit).isGreaterThan(selected);
        // 4 points x 2 folds before selection; the learning curve's 0.5 on each fold after it, all before the refit
        assertThat(events.subList(0, selected)).hasSize(8).containsOnly("trial");
        assertThat(events.subList(selected + 1, refit)).containsOnly("trial").hasSize(2);
    }

    @Test
    void writesEveryArtifactOfTheLayout() {
        RunLayout run = result.layout();
        RunLayout best = run.best();
        for (org.apache.hadoop.fs.Path p : List.of(run.runJson(), run.leaderboardCsv(), run.validationCurveCsv(),
                run.learningCurveCsv(), run.diagnosisJson(), best.modelZip(), best.labelsJson(), best.paramsJson(),
                best.testMetricsJson(), best.confusionCsv(), best.curveCsv())) {
            assertThat(storage.exists(p)).as(p.toString()).isTrue();
        }
        List<String> trials = storage.list(run.trialsDir());
        assertThat(trials).hasSize(4 * 2 + 2); // 4 points x 2 folds, and the learning curve's 0.5 on 2 folds
        for (String t : trials) {
            RunLayout.TrialLayout trial = run.trial(t);
            assertThat(storage.list(trial.dir())).contains("_SUCCESS", "metrics.json", "curve.csv", "params.json");
        }
        assertThat(Json.parse(storage.readString(run.runJson())).path("status").asText()).isEqualTo(io.foldwise.store.RunState.FINISHED.json());
    }

    @Test
    void leaderboardHasOneRowPerPointAndTheChoiceIsTheBestMeanAccuracy() {
        List<String> lines = storage.readString(result.layout().leaderboardCsv()).lines().toList();
        assertThat(lines).hasSize(1 + 4);
        double bestMean = result.leaderboard().rows().stream().mapToDouble(r -> r.metric().mean()).max().orElseThrow();
        assertThat(result.selection().row().metric().mean()).isEqualTo(bestMean);
        // each row's mean is the mean of its folds' stored cv accuracy
        for (Leaderboard.Row row : result.leaderboard().rows()) {
            double sum = 0;
            for (int f = 0; f < config.sweep().folds(); f++) {
                JsonNode m = Json.parse(storage.readString(result.layout()
                        .trial(new TrialId(row.point().id(), f, 1.0).value()).metricsJson()));
                sum += m.path("cvAccuracy").asDouble();
            }
            assertThat(row.metric().mean()).isCloseTo(sum / config.sweep().folds(), within(1e-12));
        }
    }

    @Test
    void bestModelReloadsAndReproducesTheStoredTestAccuracy() {
        RunLayout best = result.layout().best();
        ModelFiles.Loaded loaded = ModelFiles.read(storage, best);
        JsonNode stored = Json.parse(storage.readString(best.testMetricsJson()));
        Evaluation again;
        try (LabeledImages test = Ingestor.readTest(TestSpark.session(), config.data(), config.ingest(),
                loaded.labels())) {
            again = Evaluator.evaluate(JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext()),
                    loaded.network(), Tensorizer.batches(test.frame(), config.data().shape(), 10, 64, 2, 1),
                    loaded.labels());
        }
        assertThat(again.count()).isEqualTo(500).isEqualTo(stored.path("count").asLong());
        assertThat(again.accuracy()).isEqualTo(stored.path("accuracy").asDouble());
        assertThat(again.accuracy()).isEqualTo(result.test().accuracy());
        assertThat(stored.path("perClass")).hasSize(10);
        assertThat(storage.readString(best.confusionCsv()).lines()).hasSize(11);
    }

    @Test
    void curvesAndDiagnosisAreWritten() {
        List<String> validation = storage.readString(result.layout().validationCurveCsv()).lines().toList();
        assertThat(validation).hasSize(1 + 4); // 2 architectures x 2 λ
        List<String> learning = storage.readString(result.layout().learningCurveCsv()).lines().toList();
        assertThat(learning).hasSize(1 + 2); // fractions 0.5 and 1.0 of the chosen point
        JsonNode diagnosis = Json.parse(storage.readString(result.layout().diagnosisJson()));
        assertThat(diagnosis.path("verdict").asText()).isIn("HIGH_BIAS", "HIGH_VARIANCE", "BOTH", "NEITHER");
        assertThat(diagnosis.path("verdict").asText()).isEqualTo(result.diagnosis().verdict().name());
    }

    /** Copies the tree, or (with {@code garbage}) its layout with bytes no decoder reads in every file. */
    static void copyTree(Path from, Path to, boolean garbage) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (garbage) {
                    Files.writeString(target, "not decoded before the refit");
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
