package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestSpark;
import io.foldwise.augment.Augmenter;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.ingest.ImageSchema;
import io.foldwise.ingest.Ingestor;
import io.foldwise.ingest.LabeledImages;
import io.foldwise.select.FoldSplitter;
import io.foldwise.select.Grid;
import io.foldwise.select.GridPoint;
import io.foldwise.select.Split;
import io.foldwise.select.Splits;
import io.foldwise.select.TrialSpec;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import io.foldwise.train.FitPlan;
import io.foldwise.train.Shards;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leak-free augmentation on the committed sample: with augmentation on, the rows each sweep trial
 * trains on share no source image with its validation fold or the held-out test set, and the
 * validation and test rows are the ingested originals, byte for byte.
 */
class AugmentLeakTest {
    @TempDir
    java.nio.file.Path output;

    @Test
    void noSourceImageIsOnBothSidesOfAnyFoldAndHeldOutRowsAreTheOriginals() {
        FoldwiseConfig c = ConfigLoader.load(null, List.of("data.train=" + TestSpark.sample("train"), "data.test=",
                "sweep.folds=3", "sweep.grid.augment=[false, true]", "augment.copies=2"));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
        try (LabeledImages images = Ingestor.readTrain(TestSpark.session(), c.data(), c.ingest())) {
            Map<String, float[]> originals = pixelsById(images.frame());
            assertThat(originals).hasSize(2000);
            // As the sweep does with no data.test: hold the test set out first, then assign folds.
            Split split = Splits.holdout(images.frame(), c.data().testFraction(), c.sweep().seed());
            Map<String, float[]> test = pixelsById(split.heldOut());
            assertIdentical(test, originals, "test");
            Dataset<Row> assigned = FoldSplitter.assign(split.train(), 3, c.sweep().seed())
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            try {
                List<GridPoint> points = Grid.expand(c);
                GridPoint off = points.get(0);
                GridPoint on = points.get(1);
                assertThat(on.augments(c.augment())).isTrue();
                Storage storage = new Storage(sc.hadoopConfiguration());
                RunLayout layout = RunLayout.of(new Path(output.toUri()), "leak");
                TrainingShards shards = TrainingShards.folds(sc, storage, layout, assigned, assigned.count(), c, 0);
                TrialRunner runner = new TrialRunner(storage, layout, shards,
                        new Fitter(sc, storage, c.data().shape(), images.labelNames(), c.data().classes()), c.augment(),
                        new RunGuard(sc));
                for (int f = 0; f < 3; f++) {
                    Set<String> fullSources = null;
                    Map<String, float[]> validation = null;
                    // Every fold in full; one fold's learning-curve subsample too.
                    for (double fraction : f == 0 ? new double[] {1.0, 0.5} : new double[] {1.0}) {
                        String at = "fold " + f + " fraction " + fraction;
                        Fitter.Data data = runner.trialData(new TrialSpec(on, f, fraction));
                        Map<String, float[]> held = records(sc, data.validation(), 1.0, true);
                        if (validation == null) {
                            validation = held;
                            assertIdentical(validation, originals, at + " validation");
                        }
                        List<String> train = new ArrayList<>(records(sc, data.train(), fraction, false).keySet());
                        Set<String> sources = new HashSet<>();
                        train.forEach(id -> sources.add(source(id)));
                        assertThat(train).as(at + ": every training image and its 2 copies")
                                .hasSize(3 * sources.size());
                        assertThat(train).filteredOn(id -> id.contains(Augmenter.ID_SUFFIX)).hasSize(2 * sources.size());
                        assertThat(sources).as(at + ": training sources vs validation").doesNotContainAnyElementsOf(
                                validation.keySet());
                        assertThat(sources).as(at + ": training sources vs test").doesNotContainAnyElementsOf(
                                test.keySet());
                        assertThat(sources.size() + validation.size() + test.size())
                                .isLessThanOrEqualTo(originals.size());
                        if (fraction == 1.0) {
                            assertThat(sources.size() + validation.size() + test.size()).isEqualTo(originals.size());
                            fullSources = sources;
                            // Without augmentation the same trial trains on exactly the originals.
                            Map<String, float[]> plain = records(sc, runner.trialData(new TrialSpec(off, f, fraction))
                                    .train(), fraction, false);
                            assertThat(plain.keySet()).isEqualTo(sources);
                            assertIdentical(plain, originals, at + " plain training");
                        } else {
                            // Learning-curve subsample: originals first (nested in the full part), then augmented.
                            assertThat(fullSources).containsAll(sources);
                            assertThat(sources.size()).isBetween(fullSources.size() / 2 - 10, fullSources.size() / 2 + 10);
                        }
                    }
                }
                shards.close();
            } finally {
                assigned.unpersist(false);
            }
        }
    }

    /** The records of a fit's part, by id (copies of the features, which the reader reuses). */
    private static Map<String, float[]> records(JavaSparkContext sc, FitPlan.Part part, double fraction,
                                                boolean originalsOnly) {
        Map<String, float[]> out = new HashMap<>();
        for (String file : part.shards().files(sc.hadoopConfiguration(), part.groups())) {
            try (Shards.Reader reader = new Shards.Reader(sc.hadoopConfiguration(), file)) {
                reader.forEachRemaining(r -> {
                    if (r.inSubsample(fraction) && (r.original() || !originalsOnly)) {
                        assertThat(out.put(r.id(), r.features().clone())).as("id %s once", r.id()).isNull();
                    }
                });
            }
        }
        return out;
    }

    private static String source(String id) {
        int at = id.indexOf(Augmenter.ID_SUFFIX);
        return at < 0 ? id : id.substring(0, at);
    }

    private static void assertIdentical(Map<String, float[]> rows, Map<String, float[]> originals, String what) {
        assertThat(rows).as(what).isNotEmpty();
        rows.forEach((id, px) -> {
            assertThat(id).as(what).doesNotContain(Augmenter.ID_SUFFIX);
            assertThat(Arrays.equals(px, originals.get(id))).as("%s row %s is the original", what, id).isTrue();
        });
    }

    private static Map<String, float[]> pixelsById(Dataset<Row> rows) {
        Map<String, float[]> out = new HashMap<>();
        for (Row r : rows.select(ImageSchema.ID, ImageSchema.PIXELS).collectAsList()) {
            assertThat(out.put(r.getString(0), Augmenter.pixels(r))).as("id %s once", r.getString(0)).isNull();
        }
        return out;
    }
}
