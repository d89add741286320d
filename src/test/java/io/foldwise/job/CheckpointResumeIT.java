package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foldwise.TestSpark;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.ingest.Ingestor;
import io.foldwise.ingest.LabeledImages;
import io.foldwise.select.FoldSplitter;
import io.foldwise.select.Grid;
import io.foldwise.select.TrialMetrics;
import io.foldwise.select.TrialResult;
import io.foldwise.select.TrialSpec;
import io.foldwise.store.Json;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import io.foldwise.train.Checkpoint;
import io.foldwise.train.EpochStats;
import io.foldwise.train.TaskTrainer;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trial stopped after epoch 3 of 4 (checkpoints every 2 epochs) and run again in the same run
 * directory, as a resumed sweep runs it, continues from its epoch-2 checkpoint and commits exactly
 * the curve and metrics of a trial that was never interrupted; its checkpoints go when it commits.
 */
class CheckpointResumeIT {
    @TempDir
    java.nio.file.Path tmp;

    @Test
    void interruptedTrialResumesFromItsCheckpointAndEndsBitForBitLikeAnUninterruptedOne() {
        FoldwiseConfig config = ConfigLoader.load(null, List.of(
                "data.train=" + TestSpark.sample("train"),
                "train.epochs=4",
                "train.checkpointEvery=2",
                "train.trainSample=300",
                "sweep.folds=2",
                "sweep.grid.l2=[1e-3]"));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
        Storage storage = new Storage(sc.hadoopConfiguration());
        TrialSpec spec = new TrialSpec(Grid.expand(config).get(0), 1, 1.0);
        String id = spec.id().value();
        try (LabeledImages images = Ingestor.readTrain(TestSpark.session(), config.data(), config.ingest())) {
            Dataset<Row> assigned = FoldSplitter.assign(images.frame(), 2, config.sweep().seed()).cache();
            try {
                RunLayout clean = layout("clean");
                TrialResult uninterrupted = runner(sc, storage, clean, assigned, config, images).run(spec);
                assertThat(uninterrupted.usable()).isTrue();

                RunLayout resumed = layout("resumed");
                sc.setLocalProperty(TaskTrainer.STOP_AFTER_EPOCH, "3");
                try {
                    TrialRunner first = runner(sc, storage, resumed, assigned, config, images);
                    // The stopped fit is recorded as a failed trial (it keeps its checkpoint).
                    TrialResult stopped = first.run(spec);
                    assertThat(stopped.usable()).isFalse();
                    assertThat(stopped.problem().orElseThrow()).contains("test hook");
                } finally {
                    sc.setLocalProperty(TaskTrainer.STOP_AFTER_EPOCH, null);
                }
                assertThat(storage.exists(resumed.trial(id).success())).isFalse();
                Checkpoint saved = Checkpoint.latest(sc.hadoopConfiguration(), resumed.checkpointDir(id)).orElseThrow();
                assertThat(saved.epoch()).isEqualTo(2);

                TrialResult again = runner(sc, storage, resumed, assigned, config, images).run(spec);
                assertThat(again.usable()).isTrue();
                assertThat(again).isEqualTo(uninterrupted);

                List<String> resumedCurve = lines(storage, resumed.trial(id).curveCsv());
                List<String> cleanCurve = lines(storage, clean.trial(id).curveCsv());
                assertThat(resumedCurve).hasSize(5); // header + 4 epochs
                assertThat(withoutSeconds(resumedCurve)).isEqualTo(withoutSeconds(cleanCurve));
                // Epochs 1 and 2 came from the checkpoint, timings and all: they were not trained again.
                assertThat(resumedCurve.subList(1, 3))
                        .isEqualTo(EpochStats.toCsv(saved.curve()).lines().toList().subList(1, 3));
                assertThat(metricsWithoutSeconds(storage, resumed.trial(id).metricsJson()))
                        .isEqualTo(metricsWithoutSeconds(storage, clean.trial(id).metricsJson()));

                assertThat(storage.exists(resumed.checkpointDir(id))).as("checkpoints deleted on commit").isFalse();
                assertThat(storage.exists(clean.checkpointDir(id))).isFalse();
            } finally {
                assigned.unpersist();
            }
        }
    }

    private RunLayout layout(String name) {
        return new RunLayout(new Path(tmp.toUri().toString(), name));
    }

    private static List<String> lines(Storage storage, Path file) {
        return storage.readString(file).lines().toList();
    }

    /** The curve without its wall-clock seconds column. */
    private static List<String> withoutSeconds(List<String> csv) {
        List<String> header = List.of(csv.get(0).split(",", -1));
        int seconds = header.indexOf("seconds");
        assertThat(seconds).isNotNegative();
        return csv.stream().map(l -> {
            List<String> cells = new java.util.ArrayList<>(List.of(l.split(",", -1)));
            cells.remove(seconds);
            return String.join(",", cells);
        }).toList();
    }

    private static String metricsWithoutSeconds(Storage storage, Path file) {
        ObjectNode n = (ObjectNode) Json.parse(storage.readString(file));
        assertThat(n.has(TrialMetrics.SECONDS)).isTrue();
        n.remove(TrialMetrics.SECONDS);
        return Json.render(n);
    }

    private static TrialRunner runner(JavaSparkContext sc, Storage storage, RunLayout layout, Dataset<Row> assigned,
                                      FoldwiseConfig config, LabeledImages images) {
        TrainingShards shards = TrainingShards.folds(sc, storage, layout, assigned, images.count(), config);
        return new TrialRunner(storage, layout, shards, new Fitter(sc, storage, config.data().shape(),
                images.labelNames(), config.data().classes()), config.augment(), new RunGuard(sc));
    }
}
