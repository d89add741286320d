package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestSpark;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.ingest.Ingestor;
import io.foldwise.ingest.LabeledImages;
import io.foldwise.select.FoldSplitter;
import io.foldwise.select.Grid;
import io.foldwise.select.GridPoint;
import io.foldwise.select.TrialResult;
import io.foldwise.select.TrialSpec;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trials share nothing: two at once give exactly what each gives alone. */
class TrialConcurrencyTest {
    @TempDir
    java.nio.file.Path tmp;

    @Test
    void concurrentTrialsMatchSequentialOnes() {
        FoldwiseConfig config = ConfigLoader.load(null, List.of(
                "data.train=" + TestSpark.sample("train"),
                "train.epochs=2",
                "sweep.folds=3",
                "sweep.grid.l2=[1e-4, 1e-2]"));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
        Storage storage = new Storage(sc.hadoopConfiguration());
        List<GridPoint> points = Grid.expand(config);
        List<TrialSpec> specs = List.of(new TrialSpec(points.get(0), 0, 1.0), new TrialSpec(points.get(1), 1, 1.0));
        try (LabeledImages images = Ingestor.readTrain(TestSpark.session(), config.data(), config.ingest())) {
            Dataset<Row> assigned = FoldSplitter.assign(images.frame(), 3, config.sweep().seed()).cache();
            try {
                TrialRunner one = runner(sc, storage, "one-at-a-time", assigned, config, images);
                List<TrialResult> sequential = new TrialScheduler(sc, 1, false).runAll(specs, one::run, t -> { });
                TrialRunner two = runner(sc, storage, "two-at-once", assigned, config, images);
                List<TrialResult> concurrent = new TrialScheduler(sc, 2, false).runAll(specs, two::run, t -> { });
                assertThat(concurrent).isEqualTo(sequential);
                assertThat(sequential).allMatch(TrialResult::usable);
                assertThat(sequential.get(0).jCv()).isNotEqualTo(sequential.get(1).jCv());
            } finally {
                assigned.unpersist();
            }
        }
    }

    private TrialRunner runner(JavaSparkContext sc, Storage storage, String name, Dataset<Row> assigned,
                          FoldwiseConfig config, LabeledImages images) {
        RunLayout layout = new RunLayout(new Path(tmp.toUri().toString(), name));
        TrainingShards shards = TrainingShards.folds(sc, storage, layout, assigned, images.count(), config, 0);
        return new TrialRunner(storage, layout, shards, new Fitter(sc, storage, config.data().shape(),
                images.labelNames(), config.data().classes()), config.augment(), new RunGuard(sc));
    }
}
