package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestSpark;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.ingest.Ingestor;
import io.foldwise.ingest.LabeledImages;
import io.foldwise.ingest.SampleTables;
import io.foldwise.select.FoldSplitter;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same sweep on the committed sample as folders and as Parquet (encoded PNG bytes, ids as the
 * folder reader makes them, train and test alike) assigns the same folds and writes the same leaderboard.
 */
class TableInputSweepIT {
    @TempDir
    static Path tmp;
    static Path trainTable;

    @BeforeAll
    static void write() {
        trainTable = SampleTables.write(TestSpark.session(), TestSpark.sample("train"), tmp.resolve("train.parquet"),
                SampleTables.Kind.ENCODED);
        SampleTables.write(TestSpark.session(), TestSpark.sample("test"), tmp.resolve("test.parquet"),
                SampleTables.Kind.PIXELS);
    }

    static FoldwiseConfig config(String id, String... data) {
        List<String> settings = new java.util.ArrayList<>(List.of(
                "run.output=" + tmp.resolve("runs"), "run.id=" + id,
                "train.architecture={mlp=[16]}", "train.epochs=1", "sweep.folds=2", "sweep.grid.l2=[1e-4, 1e-2]",
                "learningCurve.fractions=[1.0]", "data.limit=600"));
        settings.addAll(List.of(data));
        return ConfigLoader.load(null, settings);
    }

    @Test
    void foldersAndParquetGiveTheSameFoldsAndLeaderboard() {
        FoldwiseConfig folders = config("folders", "data.train=" + TestSpark.sample("train"),
                "data.test=" + TestSpark.sample("test"));
        FoldwiseConfig parquet = config("parquet", "data.format=parquet", "data.train=" + trainTable,
                "data.test=" + tmp.resolve("test.parquet"));

        try (LabeledImages a = Ingestor.readTrain(TestSpark.session(), folders.data(), folders.ingest());
             LabeledImages b = Ingestor.readTrain(TestSpark.session(), parquet.data(), parquet.ingest())) {
            assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
            List<Row> foldsA = FoldSplitter.assign(a.frame(), 2, folders.sweep().seed())
                    .select("id", FoldSplitter.FOLD).orderBy("id").collectAsList();
            List<Row> foldsB = FoldSplitter.assign(b.frame(), 2, parquet.sweep().seed())
                    .select("id", FoldSplitter.FOLD).orderBy("id").collectAsList();
            assertThat(foldsA).hasSize(600);
            assertThat(foldsB).isEqualTo(foldsA);
        }

        Storage storage = new Storage(TestSpark.session().sparkContext().hadoopConfiguration());
        RunLayout runA = new SweepJob(TestSpark.session(), folders, SweepListener.NONE).run()
                .orElseThrow().layout();
        RunLayout runB = new SweepJob(TestSpark.session(), parquet, SweepListener.NONE).run()
                .orElseThrow().layout();
        String leaderboard = storage.readString(runA.leaderboardCsv());
        assertThat(leaderboard.lines()).hasSize(3);
        assertThat(storage.readString(runB.leaderboardCsv())).isEqualTo(leaderboard);
        assertThat(storage.list(runB.trialsDir())).isEqualTo(storage.list(runA.trialsDir()));
        assertThat(storage.readString(runB.best().testMetricsJson()))
                .isEqualTo(storage.readString(runA.best().testMetricsJson()));
    }
}
