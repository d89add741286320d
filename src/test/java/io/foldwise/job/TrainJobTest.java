package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.TestSpark;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.ingest.Ingestor;
import io.foldwise.ingest.LabeledImages;
import io.foldwise.select.Split;
import io.foldwise.select.Splits;
import io.foldwise.store.Json;
import io.foldwise.store.ModelFiles;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import io.foldwise.train.EpochStats;
import io.foldwise.train.Evaluation;
import io.foldwise.train.Evaluator;
import io.foldwise.train.Tensorizer;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** One real parameter-averaging run on the committed sample, shared by the assertions below. */
class TrainJobTest {
    @TempDir
    static java.nio.file.Path output;

    static FoldwiseConfig config;
    static TrainJob.Result result;
    static RunLayout run;
    static Storage storage;

    @BeforeAll
    static void train() {
        config = ConfigLoader.load(null, List.of(
                "data.train=" + TestSpark.sample("train"),
                "run.output=" + output,
                "run.id=mlp",
                "train.architecture={mlp=[64]}",
                "train.epochs=6"));
        result = TrainJob.run(TestSpark.session(), config);
        run = result.layout();
        storage = new Storage(TestSpark.session().sparkContext().hadoopConfiguration());
    }

    @Test
    void writesEveryArtifact() {
        for (org.apache.hadoop.fs.Path p : List.of(run.runJson(), run.curveCsv(), run.metricsJson(), run.modelZip(),
                run.labelsJson(), run.paramsJson())) {
            assertThat(storage.exists(p)).as(p.toString()).isTrue();
        }
        assertThat(storage.exists(run.workDir())).as("scratch export directory removed").isFalse();
        JsonNode record = Json.parse(storage.readString(run.runJson()));
        assertThat(record.path("status").asText()).isEqualTo(io.foldwise.store.RunState.FINISHED.json());
        assertThat(record.path("data").path("count").asLong()).isEqualTo(2000);
        assertThat(record.path("data").path("fingerprint").asText()).isNotBlank();
        assertThat(record.path("provenance").path("spark").asText()).isEqualTo(TestSpark.session().version());
        assertThat(record.path("config").path("train").path("epochs").asInt()).isEqualTo(6);
    }

    @Test
    void learnsFarAboveChance() {
        JsonNode metrics = Json.parse(storage.readString(run.metricsJson()));
        // chance on 10 balanced classes is 0.10
        assertThat(metrics.path("validation").path("accuracy").asDouble()).isGreaterThanOrEqualTo(0.80);
        assertThat(metrics.path("validation").path("count").asLong()).isEqualTo(400);
        assertThat(metrics.path("train").path("count").asLong()).isEqualTo(1600);
    }

    @Test
    void curveHasOneRowPerEpochWithPenaltyOnTopOfDataLoss() {
        List<EpochStats> curve = EpochStats.fromCsv(storage.readString(run.curveCsv()));
        assertThat(curve).extracting(EpochStats::epoch).containsExactly(1, 2, 3, 4, 5, 6);
        for (EpochStats e : curve) {
            assertThat(e.trainLoss()).isGreaterThan(e.trainDataLoss());
            assertThat(e.validationLoss()).isFinite();
        }
        assertThat(curve.get(5).trainDataLoss()).isLessThan(curve.get(0).trainDataLoss());
    }

    @Test
    void savedModelReloadsWithIdenticalPredictionsOnTheValidationBatch() {
        ModelFiles.Loaded loaded = ModelFiles.read(storage, run);
        assertThat(loaded.labels()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        LabeledImages images = Ingestor.readTrain(TestSpark.session(), config.data(), config.ingest());
        Split split = Splits.holdout(images.frame(), config.train().validationFraction(),
                config.train().seed());
        DataSet validation = Tensorizer.batches(split.heldOut(), config.data().shape(), 10, 400, 1, 1).first();
        assertThat(validation.numExamples()).isEqualTo(400);

        INDArray trained = result.model().network().output(validation.getFeatures());
        INDArray reloaded = loaded.network().output(validation.getFeatures());
        assertThat(reloaded.equalsWithEps(trained, 0)).isTrue();
        // and the reloaded model scores what the run recorded for its validation set
        JsonNode metrics = Json.parse(storage.readString(run.metricsJson()));
        Evaluation again = Evaluator.evaluate(loaded.network(), validation, loaded.labels());
        assertThat(again.accuracy()).isCloseTo(metrics.path("validation").path("accuracy").asDouble(),
                org.assertj.core.data.Offset.offset(1e-9));
    }
}
