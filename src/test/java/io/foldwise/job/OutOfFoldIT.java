package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.SmallSweep;
import io.foldwise.TestSpark;
import io.foldwise.ingest.ImageSchema;
import io.foldwise.ingest.Ingestor;
import io.foldwise.ingest.LabeledImages;
import io.foldwise.report.CsvTable;
import io.foldwise.select.FoldSplitter;
import io.foldwise.select.GridPoint;
import io.foldwise.select.StoredTrials;
import io.foldwise.select.TrialResult;
import io.foldwise.select.TrialSpec;
import io.foldwise.store.Json;
import io.foldwise.store.RunLayout;
import io.foldwise.store.TrialStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The small sweep's out-of-fold and test predictions: every training image once, predicted by the
 * model of the fold that held it out; written per trial and gathered for the chosen point.
 */
class OutOfFoldIT {
    static SmallSweep.Run run;
    static GridPoint chosen;

    @BeforeAll
    static void sweep() {
        run = SmallSweep.get();
        chosen = run.result().selection().point();
    }

    @Test
    void everyTrainingImageOnceInItsHeldOutFoldWithTheTrialsAccuracy() throws IOException {
        CsvTable oof = CsvTable.parse(Files.readString(run.dir().resolve("best/oof-predictions.csv")));
        List<String> labels = run.result().test().labels();
        assertThat(oof.header()).startsWith("id", "path", "label", "predicted").endsWith("fold");
        Map<String, Integer> foldOf = new HashMap<>();
        Map<String, String> pathOf = new HashMap<>();
        Map<String, String> labelOf = new HashMap<>();
        int folds = run.config().sweep().folds();
        try (LabeledImages images = Ingestor.readTrain(TestSpark.session(), run.config().data(),
                run.config().ingest())) {
            for (Row r : FoldSplitter.assign(images.frame(), folds, run.config().sweep().seed()).collectAsList()) {
                String id = r.getString(r.fieldIndex(ImageSchema.ID));
                foldOf.put(id, r.getInt(r.fieldIndex("fold")));
                pathOf.put(id, r.getString(r.fieldIndex(ImageSchema.PATH)));
                labelOf.put(id, r.getString(r.fieldIndex(ImageSchema.LABEL_NAME)));
            }
        }
        assertThat(oof.size()).isEqualTo(foldOf.size());
        Set<String> seen = new HashSet<>();
        long[] right = new long[folds];
        long[] count = new long[folds];
        for (int i = 0; i < oof.size(); i++) {
            String id = oof.text(i, "id");
            assertThat(seen.add(id)).as("id %s once", id).isTrue();
            int fold = (int) oof.number(i, "fold");
            assertThat(fold).as("fold of %s", id).isEqualTo(foldOf.get(id));
            assertThat(oof.text(i, "path")).isEqualTo(pathOf.get(id));
            assertThat(oof.text(i, "label")).isEqualTo(labelOf.get(id));
            double sum = 0;
            for (String l : labels) {
                sum += oof.number(i, "p_" + l);
            }
            assertThat(sum).isCloseTo(1.0, Offset.offset(1e-6));
            count[fold]++;
            right[fold] += oof.text(i, "label").equals(oof.text(i, "predicted")) ? 1 : 0;
        }
        assertThat(seen).isEqualTo(foldOf.keySet());
        TrialStore trials = new TrialStore(run.storage(), run.layout());
        for (int f = 0; f < folds; f++) {
            TrialResult trial = StoredTrials.committed(trials, new TrialSpec(chosen, f, 1.0).id()).orElseThrow();
            assertThat((double) right[f] / count[f]).as("fold %d", f)
                    .isCloseTo(trial.cvAccuracy(), Offset.offset(1e-9));
        }
    }

    @Test
    void testPredictionsMatchTheTestMetrics() throws IOException {
        CsvTable test = CsvTable.parse(Files.readString(run.dir().resolve("best/test-predictions.csv")));
        double accuracy = Json.parse(Files.readString(run.dir().resolve("best/test-metrics.json")))
                .path("accuracy").asDouble();
        long right = 0;
        for (int i = 0; i < test.size(); i++) {
            right += test.text(i, "label").equals(test.text(i, "predicted")) ? 1 : 0;
            assertThat(Path.of(URI.create(test.text(i, "path"))).getFileName().toString())
                    .isEqualTo(test.text(i, "id").substring(test.text(i, "id").indexOf('/') + 1));
        }
        assertThat(test.size()).isEqualTo(run.result().test().count());
        assertThat((double) right / test.size()).isCloseTo(accuracy, Offset.offset(1e-9));
    }

    @Test
    void foldsWithoutPredictionsAreReportedAndLeftOut() throws IOException {
        // A trial committed before predictions were recorded has no predictions.csv.
        Path copy = run.copy("no-predictions", record -> { });
        RunLayout layout = new RunLayout(new org.apache.hadoop.fs.Path(copy.toUri()));
        Files.delete(Path.of(layout.trial(new TrialSpec(chosen, 1, 1.0).id().value()).predictionsCsv().toUri()));
        Files.delete(copy.resolve("best/oof-predictions.csv"));
        try (LabeledImages images = Ingestor.readTrain(TestSpark.session(), run.config().data(),
                run.config().ingest())) {
            List<Integer> missing = ErrorFiles.outOfFold(TestSpark.session(), run.storage(), layout, chosen,
                    run.config().sweep().folds(), run.result().test().labels(), images.frame(),
                    io.foldwise.config.ThresholdConfig.F1).missing();
            assertThat(missing).containsExactly(1);
        }
        CsvTable oof = CsvTable.parse(Files.readString(copy.resolve("best/oof-predictions.csv")));
        assertThat(oof.size()).isPositive();
        for (int i = 0; i < oof.size(); i++) {
            assertThat(oof.number(i, "fold")).isEqualTo(0.0);
        }
        assertThat(Json.parse(Files.readString(copy.resolve("run.json")))).isNotNull();
    }
}
