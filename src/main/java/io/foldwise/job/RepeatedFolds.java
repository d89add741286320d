package io.foldwise.job;

import io.foldwise.config.FoldwiseConfig;
import io.foldwise.select.FoldSplitter;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The sweep's folds, once per repeat of k-fold cross-validation ({@code sweep.repeats}): each
 * repeat's stratified assignment with its own fold seed, prepared as shards. Repeat 0 is the plain
 * k-fold split of {@code sweep.seed}, and the refit and learning curves use it. Closing unpersists
 * the assignments and deletes the shards.
 */
final class RepeatedFolds implements AutoCloseable {
    private final List<Dataset<Row>> assigned = new ArrayList<>();
    private final List<TrainingShards> shards = new ArrayList<>();
    private long rowCount;

    /** Assigns and writes the folds of every repeat of {@code trainRows}. */
    static RepeatedFolds prepare(JavaSparkContext sc, Storage storage, RunLayout layout, Dataset<Row> trainRows,
                                 FoldwiseConfig config) {
        RepeatedFolds folds = new RepeatedFolds();
        try {
            for (int r = 0; r < config.sweep().repeats(); r++) {
                Dataset<Row> a = FoldSplitter.assign(trainRows, config.sweep().folds(), config.sweep().foldSeed(r))
                        .persist(StorageLevel.MEMORY_AND_DISK_SER());
                folds.assigned.add(a);
                if (r == 0) {
                    folds.rowCount = a.count();
                }
                folds.shards.add(TrainingShards.folds(sc, storage, layout, a, folds.rowCount, config, r));
            }
            return folds;
        } catch (RuntimeException e) {
            folds.close();
            throw e;
        }
    }

    /** Training images (every repeat splits the same ones). */
    long rowCount() {
        return rowCount;
    }

    /** The shards of repeat {@code r}. */
    TrainingShards repeat(int r) {
        return shards.get(r);
    }

    /** Every repeat's shards, by repeat. */
    List<TrainingShards> all() {
        return List.copyOf(shards);
    }

    @Override
    public void close() {
        shards.forEach(TrainingShards::close);
        assigned.forEach(a -> a.unpersist(false));
    }
}
