package io.foldwise.job;

import static org.apache.spark.sql.functions.col;

import io.foldwise.FoldwiseException;
import io.foldwise.augment.Augmenter;
import io.foldwise.config.AugmentConfig;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.config.ImageShape;
import io.foldwise.select.FoldSplitter;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import io.foldwise.train.FitPlan;
import io.foldwise.train.Shards;
import io.foldwise.train.SparkTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A run's training data, prepared once as shards (see {@link Shards}) in groups: the sweep's folds,
 * or the train command's training and validation split. The original images always; their
 * augmented copies (originals included) only when some fit augments, written the first time one
 * asks. Every fit then streams the groups it needs, and grid points that share a fold share its
 * files. Deleted with {@link #close}.
 */
final class TrainingShards implements AutoCloseable {
    private final JavaSparkContext sc;
    private final Storage storage;
    private final Path root;
    private final Dataset<Row> rows;
    private final long rowCount;
    private final int groups;
    private final ImageShape shape;
    private final long seed;
    private final AugmentConfig augment;
    private final Shards.ShardSet originals;
    private Shards.ShardSet augmented;

    /**
     * The sweep's folds of one repeat: {@code assigned} is the output of {@link FoldSplitter#assign}
     * with that repeat's fold seed; each repeat has its own directory.
     */
    static TrainingShards folds(JavaSparkContext sc, Storage storage, RunLayout layout, Dataset<Row> assigned,
                                long rowCount, FoldwiseConfig config) {
        return folds(sc, storage, layout, assigned, rowCount, config, 0);
    }

    /** The folds of one repeat of repeated k-fold (repeat 0: the sweep's own folds). */
    static TrainingShards folds(JavaSparkContext sc, Storage storage, RunLayout layout, Dataset<Row> assigned,
                                long rowCount, FoldwiseConfig config, int repeat) {
        long seed = config.sweep().foldSeed(repeat);
        return prepare(sc, storage, layout.exportDir(repeat == 0 ? "shards" : "shards-r" + repeat,
                        config.train().exportDir()), config.train().exportDir().isPresent(), assigned, rowCount,
                col(FoldSplitter.FOLD), col(FoldSplitter.FOLD_POSITION), col(FoldSplitter.FOLD_CLASS_COUNT),
                config.sweep().folds(), config.data().shape(), seed, config.augment());
    }

    /** {@link #prepare(JavaSparkContext, Storage, Path, boolean, Dataset, long, Column, Column, Column, int, ImageShape, long, AugmentConfig)} under the run's {@code shards} directory. */
    static TrainingShards prepare(JavaSparkContext sc, Storage storage, RunLayout layout, Optional<String> exportRoot,
                                  Dataset<Row> rows, long rowCount, Column group, Column position,
                                  Column classCount, int groups, ImageShape shape, long seed, AugmentConfig augment) {
        return prepare(sc, storage, layout.exportDir("shards", exportRoot), exportRoot.isPresent(), rows, rowCount,
                group, position, classCount, groups, shape, seed, augment);
    }

    /**
     * Writes the originals of {@code rows}; {@code group}, {@code position} and {@code classCount}
     * are the columns that give each row's group and its place among its class in the group.
     *
     * @param dir        where the shards go
     * @param configured whether {@code dir} is under {@code train.exportDir} (the user vouched that every
     *                   node mounts it)
     * @throws FoldwiseException (usage) when executors could not read the shards' directory
     */
    private static TrainingShards prepare(JavaSparkContext sc, Storage storage, Path dir, boolean configured,
                                          Dataset<Row> rows, long rowCount, Column group, Column position,
                                          Column classCount, int groups, ImageShape shape, long seed,
                                          AugmentConfig augment) {
        Path root = qualified(sc, dir);
        if (!SparkTrainer.reachableFromExecutors(sc.isLocal(), root, configured)) {
            throw new FoldwiseException(FoldwiseException.USAGE, "the training data is prepared under " + root
                    + ", on this machine's local disk, but the master (" + sc.master() + ") runs executors elsewhere "
                    + "that cannot read it; set --output (run.output) to shared storage such as hdfs:// or s3a://, "
                    + "or train.exportDir to a directory every node mounts");
        }
        storage.delete(root); // what an interrupted attempt left
        Dataset<Row> laid = rows.withColumn(Shards.GROUP, group)
                .withColumn(Shards.POSITION, position.cast("long"))
                .withColumn(Shards.CLASS_COUNT, classCount.cast("long"));
        return new TrainingShards(sc, storage, root, laid, rowCount, groups, shape, seed, augment);
    }

    private TrainingShards(JavaSparkContext sc, Storage storage, Path root, Dataset<Row> rows, long rowCount,
                           int groups, ImageShape shape, long seed, AugmentConfig augment) {
        this.sc = sc;
        this.storage = storage;
        this.root = root;
        this.rows = rows;
        this.rowCount = rowCount;
        this.groups = groups;
        this.shape = shape;
        this.seed = seed;
        this.augment = augment;
        this.originals = Shards.write(sc, rows, rowCount, shape, new Path(root, "original"), seed);
    }

    /** How many groups there are. */
    int groups() {
        return groups;
    }

    /** The groups other than {@code group} (a fold's training part), augmented or not. */
    FitPlan.Part allBut(int group, boolean augmented) {
        return new FitPlan.Part(set(augmented), IntStream.range(0, groups).filter(g -> g != group).boxed().toList());
    }

    /** Every group (the refit's training set), augmented or not. */
    FitPlan.Part all(boolean augmented) {
        return new FitPlan.Part(set(augmented), IntStream.range(0, groups).boxed().toList());
    }

    /** One group's originals (a validation set). */
    FitPlan.Part only(int group) {
        return new FitPlan.Part(originals, List.of(group));
    }

    /** Training rows of a fit over {@code groupsUsed} of the groups, before any subsample. */
    long rowsPer(int groupsUsed, boolean augmented) {
        return Math.round(rowCount * (double) groupsUsed / groups) * (augmented ? augment.copies() + 1 : 1);
    }

    private synchronized Shards.ShardSet set(boolean withCopies) {
        if (!withCopies) {
            return originals;
        }
        if (augmented == null) {
            // Copies depend only on (seed, source id, copy), so augmenting each group's rows once
            // gives every fit exactly the copies it would get by augmenting its own training part;
            // a copy keeps its source's position, so subsamples pick sources, copies follow.
            augmented = Shards.write(sc, Augmenter.augment(rows, augment), rowCount * (augment.copies() + 1), shape,
                    new Path(root, "augmented"), seed);
        }
        return augmented;
    }

    @Override
    public void close() {
        storage.delete(root);
    }

    private static Path qualified(JavaSparkContext sc, Path p) {
        try {
            return p.getFileSystem(sc.hadoopConfiguration()).makeQualified(p);
        } catch (IOException e) {
            throw new UncheckedIOException("no file system for " + p, e);
        }
    }
}
