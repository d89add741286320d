package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foldwise.TestSpark;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.ingest.Ingestor;
import io.foldwise.ingest.LabeledImages;
import io.foldwise.report.CsvTable;
import io.foldwise.select.FoldSplitter;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import io.foldwise.train.DivergedException;
import io.foldwise.train.EpochStats;
import io.foldwise.train.Evaluation;
import io.foldwise.train.Evaluator;
import io.foldwise.train.Shards;
import io.foldwise.train.TrainedModel;
import io.foldwise.train.ValidationPredictions;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The one fit path: one worker in one task, several by parameter averaging, the same on any partitioning. */
class FitterIT {
    @TempDir
    java.nio.file.Path tmp;

    private static FoldwiseConfig config(String... extra) {
        List<String> sets = new ArrayList<>(List.of("data.train=" + TestSpark.sample("train"), "data.test=",
                "data.limit=600", "train.architecture={mlp=[32]}", "train.epochs=3", "train.trainSample=100",
                "sweep.folds=3"));
        sets.addAll(List.of(extra));
        return ConfigLoader.load(null, sets);
    }

    private record Fit(TrainedModel model, List<EpochStats> curve, Fitter.Data data) {
    }

    private Fit fit(FoldwiseConfig config, LabeledImages images, int partitions, String name) throws Exception {
        return fit(config, images, partitions, name, null);
    }

    /** As above; {@code predictions} non-null: the fit writes its validation predictions there as fold 0. */
    private Fit fit(FoldwiseConfig config, LabeledImages images, int partitions, String name, Path predictions)
            throws Exception {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
        Storage storage = new Storage(sc.hadoopConfiguration());
        Dataset<Row> assigned = FoldSplitter.assign(images.frame().repartition(partitions), 3, 7);
        RunLayout layout = RunLayout.of(new Path(tmp.toUri()), name);
        TrainingShards shards = TrainingShards.folds(sc, storage, layout, assigned, assigned.count(), config);
        Fitter.Data plain = new Fitter.Data(shards.allBut(0, false), 1.0, shards.only(0), shards.rowsPer(2, false));
        Fitter.Data data = predictions == null ? plain : plain.withPredictions(predictions, 0);
        Path curve = new Path(tmp.resolve(name + ".csv").toUri());
        TrainedModel model = new Fitter(sc, storage, config.data().shape(), images.labelNames(),
                config.data().classes()).fit(name, config.train(), data, curve, Optional.empty(),
                layout.exportDir(name), layout.checkpointDir(name), false, e -> { });
        return new Fit(model, EpochStats.fromCsv(Files.readString(java.nio.file.Path.of(curve.toUri()))), data);
    }

    @Test
    void oneWorkerTrainsTheSameNetworkOnAnyPartitioning() throws Exception {
        FoldwiseConfig config = config();
        try (LabeledImages images = Ingestor.readTrain(TestSpark.session(), config.data(), config.ingest())) {
            Fit one = fit(config, images, 1, "p1");
            Fit many = fit(config, images, 9, "p9");
            assertThat(many.model().network().params()).isEqualTo(one.model().network().params());
            assertThat(many.curve()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("seconds")
                    .isEqualTo(one.curve());
            assertThat(one.curve()).hasSize(3);
            // The last epoch measures every training original; J_cv is the whole validation fold.
            assertThat(one.model().train().count()).isEqualTo(400);
            assertThat(one.model().validation().count()).isEqualTo(200);
            assertThat(one.model().validation().accuracy()).isGreaterThan(0.5);
            // The returned network is the trained one: evaluated here, it gives the task's J_cv.
            Evaluation again = evaluate(one.model(), one.data(), images.labelNames());
            assertThat(again.dataLoss()).isCloseTo(one.model().validation().dataLoss(),
                    org.assertj.core.api.Assertions.within(1e-5));
        }
    }

    @Test
    void twoWorkersAverageParametersAndStillLearn() throws Exception {
        FoldwiseConfig config = config("train.workers=2", "train.averagingFrequency=3");
        try (LabeledImages images = Ingestor.readTrain(TestSpark.session(), config.data(), config.ingest())) {
            Fit two = fit(config, images, 3, "w2");
            assertThat(two.curve()).hasSize(3);
            assertThat(two.model().train().count()).isEqualTo(400);
            assertThat(two.model().validation().accuracy()).isGreaterThan(0.5);
            assertThat(two.curve().get(2).trainDataLoss()).isLessThan(two.curve().get(0).trainDataLoss());
        }
    }

    @Test
    void aDivergingFitWritesItsCurveAndStops() throws Exception {
        FoldwiseConfig config = config("train.learningRate=50", "train.updater=sgd", "train.divergenceFactor=1");
        try (LabeledImages images = Ingestor.readTrain(TestSpark.session(), config.data(), config.ingest())) {
            assertThatThrownBy(() -> fit(config, images, 2, "nan")).isInstanceOf(DivergedException.class);
            assertThat(tmp.resolve("nan.csv")).exists();
        }
    }

    @Test
    void anEarlyStoppedFitWritesItsValidationPredictionsFromTheRestoredBestEpoch() throws Exception {
        // A minDelta no epoch can beat: epoch 1 is the best, training stops after epoch 3 and restores epoch 1.
        FoldwiseConfig config = config("train.epochs=6", "train.earlyStopping.patience=2",
                "train.earlyStopping.minDelta=100");
        Path csv = new Path(tmp.resolve("es-predictions.csv").toUri());
        try (LabeledImages images = Ingestor.readTrain(TestSpark.session(), config.data(), config.ingest())) {
            Fit es = fit(config, images, 2, "es", csv);
            assertThat(es.curve()).extracting(EpochStats::epoch).containsExactly(1, 2, 3);
            CsvTable table = CsvTable.parse(Files.readString(java.nio.file.Path.of(csv.toUri())));
            assertThat(table.size()).isEqualTo(es.model().validation().count());
            int right = 0;
            double loss = 0;
            for (int i = 0; i < table.size(); i++) {
                String label = table.text(i, ValidationPredictions.LABEL);
                right += label.equals(table.text(i, ValidationPredictions.PREDICTED)) ? 1 : 0;
                loss -= Math.log(table.number(i, ValidationPredictions.P + label));
                assertThat(table.text(i, ValidationPredictions.FOLD)).isEqualTo("0");
            }
            loss /= table.size();
            assertThat((double) right / table.size()).isEqualTo(es.model().validation().accuracy());
            // The kept network's predictions: epoch 1's J_cv, not the last epoch's.
            double best = es.curve().get(0).validationLoss();
            double last = es.curve().get(2).validationLoss();
            assertThat(Math.abs(loss - best)).isLessThan(1e-4).isLessThan(Math.abs(loss - last));
        }
    }

    private static Evaluation evaluate(TrainedModel model, Fitter.Data data, List<String> labels) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
        List<float[]> features = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        for (String f : data.validation().shards().files(sc.hadoopConfiguration(), data.validation().groups())) {
            try (Shards.Reader r = new Shards.Reader(sc.hadoopConfiguration(), f)) {
                r.forEachRemaining(rec -> {
                    features.add(rec.features().clone());
                    classes.add(rec.label());
                });
            }
        }
        float[] x = new float[features.size() * 784];
        float[] y = new float[features.size() * labels.size()];
        for (int i = 0; i < features.size(); i++) {
            System.arraycopy(features.get(i), 0, x, i * 784, 784);
            y[i * labels.size() + classes.get(i)] = 1;
        }
        return Evaluator.evaluate(model.network(), new DataSet(Nd4j.create(x, new long[] {features.size(), 784}, 'c'),
                Nd4j.create(y, new long[] {features.size(), labels.size()}, 'c')), labels);
    }
}
