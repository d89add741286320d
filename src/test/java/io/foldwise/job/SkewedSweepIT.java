package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.PredictedCsv;
import io.foldwise.SmallSweep;
import io.foldwise.TestSpark;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.report.CsvTable;
import io.foldwise.store.Json;
import io.foldwise.store.ModelLabels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/skewed-quickstart.conf, made small (2 folds, 1 epoch, one point): one digit against the rest
 * via data.classes, the positive class named so that it sorts first, the threshold chosen on the
 * out-of-fold precision/recall curve, stored with the model, used by the test evaluation and predict.
 */
class SkewedSweepIT {
    @TempDir
    static Path tmp;
    static Path run;
    static FoldwiseConfig config;

    @BeforeAll
    static void sweep() {
        config = ConfigLoader.load(TestSpark.projectDir().resolve("conf/skewed-quickstart.conf"), List.of(
                "data.train=" + TestSpark.sample("train"),
                "data.test=" + TestSpark.sample("test"),
                "data.classes={\"3\" = three, \"*\" = zrest}",
                "run.output=" + tmp.resolve("runs"),
                "run.id=skewed",
                "train.epochs=1",
                "train.architecture={mlp=[16]}",
                "sweep.folds=2",
                "sweep.grid.l2=[1e-4]",
                "sweep.metric=auc_pr",
                "learningCurve.fractions=[]"));
        SweepJob.Result result = new SweepJob(TestSpark.session(), config, SweepListener.NONE, false).run()
                .orElseThrow();
        run = Path.of(result.layout().runDir().toUri());
    }

    private static double threshold() throws IOException {
        return ModelLabels.fromJson(Json.parse(Files.readString(run.resolve("best/labels.json")))).threshold()
                .orElseThrow();
    }

    @Test
    void positiveClassIsLabelOneAndTheThresholdMaximisesOutOfFoldF1() throws IOException {
        ModelLabels labels = ModelLabels.fromJson(Json.parse(Files.readString(run.resolve("best/labels.json"))));
        assertThat(labels.labels()).containsExactly("zrest", "three");
        double t = threshold();
        CsvTable curve = CsvTable.parse(Files.readString(run.resolve("best/pr-curve.csv")));
        int chosen = -1;
        double bestF1 = -1;
        for (int i = 0; i < curve.size(); i++) {
            bestF1 = Math.max(bestF1, curve.number(i, "f1"));
            if (curve.text(i, "chosen").equals("true")) {
                chosen = i;
            }
        }
        assertThat(curve.number(chosen, "threshold")).isEqualTo(t);
        assertThat(curve.number(chosen, "f1")).isEqualTo(bestF1);
        // the curve's counts at the chosen threshold, recomputed from the out-of-fold predictions
        CsvTable oof = CsvTable.parse(Files.readString(run.resolve("best/oof-predictions.csv")));
        for (int i = 0; i < oof.size(); i++) {
            assertThat(oof.text(i, "label")).isEqualTo(oof.text(i, "id").startsWith("3/") ? "three" : "zrest");
        }
        long[] counts = counts(oof, i -> oof.number(i, "p_three") >= t);
        assertThat(curve.number(chosen, "true_positives")).isEqualTo((double) counts[0]);
        assertThat(curve.number(chosen, "false_positives")).isEqualTo((double) counts[1]);
        assertThat(curve.number(chosen, "false_negatives")).isEqualTo((double) counts[2]);
    }

    /** True positives, false positives and false negatives of "three", rows predicted positive by {@code predicted}. */
    private static long[] counts(CsvTable t, java.util.function.IntPredicate predicted) {
        long[] out = new long[3];
        for (int i = 0; i < t.size(); i++) {
            boolean positive = t.text(i, "label").equals("three");
            boolean p = predicted.test(i);
            out[0] += positive && p ? 1 : 0;
            out[1] += !positive && p ? 1 : 0;
            out[2] += positive && !p ? 1 : 0;
        }
        return out;
    }

    @Test
    void reportShowsTheCurveAndTheTestMetricsAtBothThresholds() throws IOException {
        io.foldwise.store.Storage storage = new io.foldwise.store.Storage(
                TestSpark.session().sparkContext().hadoopConfiguration());
        String page = Files.readString(Path.of(io.foldwise.report.ReportWriter.write(storage,
                new io.foldwise.store.RunLayout(new org.apache.hadoop.fs.Path(run.toUri()))).toUri()));
        int start = page.indexOf("<section id=\"threshold\">");
        assertThat(start).isNotNegative();
        String section = page.substring(start, page.indexOf("</section>", start));
        assertThat(section).contains("three").contains(String.valueOf(threshold()))
                .contains("test at 0.5").contains("test at the threshold").contains("precision-recall.png");
        assertThat(run.resolve("report/precision-recall.png")).isRegularFile();
        assertThat(page).contains("<section id=\"errors\">");
    }

    @Test
    void trialsRecordThePositiveClassF1AndAucPrThatTheLeaderboardAverages() throws IOException {
        CsvTable board = CsvTable.parse(Files.readString(run.resolve("leaderboard.csv")));
        assertThat(board.header()).contains("auc_pr_mean");
        String pointId = board.text(0, "point_id");
        double sum = 0;
        for (int f = 0; f < 2; f++) {
            Path trial = run.resolve("trials").resolve(new io.foldwise.select.TrialId(pointId, f, 1.0).value());
            JsonNode m = Json.parse(Files.readString(trial.resolve("metrics.json")));
            double auc = m.path("cvAucPr").asDouble(Double.NaN);
            assertThat(auc).isBetween(0.0, 1.0);
            sum += auc;
            // the positive class's F1 at 0.5, recomputed from the trial's own predictions
            CsvTable p = CsvTable.parse(Files.readString(trial.resolve("predictions.csv")));
            long[] c = counts(p, i -> p.text(i, "predicted").equals("three"));
            long tp = c[0];
            long fp = c[1];
            long fn = c[2];
            double f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
            assertThat(m.path("cvF1Positive").asDouble()).isCloseTo(f1, Offset.offset(1e-9));
        }
        String column = "auc_pr_mean";
        assertThat(board.number(0, column)).isCloseTo(sum / 2, Offset.offset(1e-9));
    }

    @Test
    void testMetricsAtTheThresholdAndPredictApplyIt() throws IOException {
        double t = threshold();
        JsonNode metrics = Json.parse(Files.readString(run.resolve("best/test-metrics.json")));
        assertThat(metrics.path("threshold").asDouble()).isEqualTo(t);
        CsvTable test = CsvTable.parse(Files.readString(run.resolve("best/test-predictions.csv")));
        long[][] confusion = new long[2][2];
        for (int i = 0; i < test.size(); i++) {
            int actual = test.text(i, "label").equals("three") ? 1 : 0;
            confusion[actual][test.number(i, "p_three") >= t ? 1 : 0]++;
        }
        JsonNode at = metrics.path("atThreshold").path("confusion");
        for (int a = 0; a < 2; a++) {
            for (int p = 0; p < 2; p++) {
                assertThat(at.get(a).get(p).asLong()).as("confusion[%d][%d]", a, p).isEqualTo(confusion[a][p]);
            }
        }

        Path csv = tmp.resolve("predict.csv");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(SmallSweep.runCli(new ByteArrayOutputStream(), err, "predict", "--model", run.toString(),
                "--input", TestSpark.sample("test").toString(), "--output", csv.toString()))
                .as(err.toString(StandardCharsets.UTF_8)).isZero();
        // predict writes a directory of part files
        CsvTable predicted = PredictedCsv.read(csv);
        assertThat(predicted.size()).isEqualTo(test.size());
        for (int i = 0; i < predicted.size(); i++) {
            double p = predicted.number(i, "p_three");
            assertThat(predicted.text(i, "predicted")).isEqualTo(p >= t ? "three" : "zrest");
            assertThat(p).isCloseTo(test.number(i, "p_three"), Offset.offset(1e-6));
        }
    }
}
