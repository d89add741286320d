package io.foldwise.select;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;

import io.foldwise.FoldwiseException;
import io.foldwise.config.InvalidConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Stratified k-fold assignment by image id, and the {@link Fold}s it makes.
 *
 * <p>Within each label, images are ranked by a hash of (seed, id), ties by id, and image
 * {@code r} of a class goes to fold {@code (r + offset) mod k}. So each class's per-fold counts
 * differ by at most one. The offset of a class is the sum, over the classes with smaller labels,
 * of their leftover images ({@code n mod k}), so leftovers are dealt round-robin across classes
 * and total fold sizes also differ by at most one. The assignment depends only on the seed and
 * the ids (which must be unique), never on Spark partitioning or row order; it runs as Spark work,
 * and only per-class counts reach the driver. Ranks are computed on (id, label) only and joined back
 * to the image rows by id, so the stages that move pixels run on all shuffle partitions, however few
 * the classes.
 */
public final class FoldSplitter {
    /** The column {@link #assign} adds. */
    public static final String FOLD = "fold";
    /**
     * Column {@link #assign} adds: the image's 0-based position among its class's images in its
     * fold, in the fold's seeded order (for nested, stratified subsamples of a fold).
     */
    public static final String FOLD_POSITION = "foldPosition";
    /** Column {@link #assign} adds: how many images of the image's class its fold holds. */
    public static final String FOLD_CLASS_COUNT = "foldClassCount";
    private static final String OFFSET = "__fw_offset";

    private FoldSplitter() {
    }

    /**
     * {@code images} (columns {@code id}, {@code label}, and any others) with an int {@code fold}
     * column in [0, k). One small Spark job runs now (per-class counts, for the checks below); the
     * rest is lazy, so cache the result before taking several folds from it (each fold would
     * otherwise recompute the ranking) and unpersist it when done.
     *
     * @throws InvalidConfigException     (exit 2) if k < 2 or k is larger than the smallest class
     * @throws FoldwiseException   (exit 3) if there are no images, a label is null or ids repeat
     */
    public static Dataset<Row> assign(Dataset<Row> images, int k, long seed) {
        if (k < 2) {
            throw new InvalidConfigException("sweep.folds must be >= 2, got " + k);
        }
        Stratified.requireColumns(images, Stratified.ID, Stratified.LABEL);
        boolean named = Arrays.asList(images.columns()).contains("labelName");
        List<Column> aggs = new ArrayList<>(List.of(count(lit(1)), countDistinct(col(Stratified.ID))));
        if (named) {
            aggs.add(first(col("labelName")));
        }
        List<Row> classes = images.groupBy(col(Stratified.LABEL))
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
                .orderBy(col(Stratified.LABEL)).collectAsList();
        if (classes.isEmpty()) {
            throw new FoldwiseException(FoldwiseException.DATA,
                    "there are no images to split into sweep.folds = " + k + " folds; check data.train");
        }
        Row smallest = null;
        for (Row c : classes) {
            if (c.isNullAt(0)) {
                throw new FoldwiseException(FoldwiseException.DATA, c.getLong(1)
                        + " images have no label (label is null); every image needs a class");
            }
            if (c.getLong(1) != c.getLong(2)) {
                throw new FoldwiseException(FoldwiseException.DATA, "image ids must be unique, but class "
                        + className(c, named) + " has " + c.getLong(1) + " images and " + c.getLong(2)
                        + " distinct ids");
            }
            if (smallest == null || c.getLong(1) < smallest.getLong(1)) {
                smallest = c;
            }
        }
        if (k > smallest.getLong(1)) {
            throw new InvalidConfigException("sweep.folds must be <= the image count of the smallest class, got " + k
                    + ": class " + className(smallest, named) + " has " + smallest.getLong(1)
                    + " images; set sweep.folds to at most " + smallest.getLong(1) + " or add images to that class");
        }
        List<Row> offsets = new ArrayList<>();
        long offset = 0;
        for (Row c : classes) {
            offsets.add(RowFactory.create(c.get(0), (int) offset));
            offset = (offset + c.getLong(1) % k) % k;
        }
        StructType schema = new StructType(new StructField[] {
            images.schema().apply(Stratified.LABEL),
            DataTypes.createStructField(OFFSET, DataTypes.IntegerType, false)});
        Dataset<Row> offsetTable = images.sparkSession().createDataFrame(offsets, schema);
        // Everything is decided on (id, label) only, then joined back to the image rows by id.
        Dataset<Row> ranked = Stratified.ranked(images, seed, "fold")
                .join(broadcast(offsetTable), Stratified.LABEL)
                .withColumn(FOLD, pmod(col(Stratified.RANK).plus(col(OFFSET)), lit(k)).cast(DataTypes.IntegerType));
        // Rank r of a class goes to fold (r + offset) mod k, so fold g holds the ranks r0, r0 + k, ...
        // with r0 = (g - offset) mod k: the position and count follow without another shuffle.
        Column r0 = pmod(col(FOLD).minus(col(OFFSET)), lit(k));
        ranked = ranked
                .withColumn(FOLD_POSITION, col(Stratified.RANK).minus(r0).divide(k).cast(DataTypes.LongType))
                .withColumn(FOLD_CLASS_COUNT, floor(col(Stratified.CLASS_COUNT).minus(1).minus(r0).divide(k))
                        .plus(1).cast(DataTypes.LongType));
        return Stratified.joinBack(images, ranked, FOLD, FOLD_POSITION, FOLD_CLASS_COUNT);
    }

    /**
     * Fold {@code i} of an assignment made by {@link #assign}.
     *
     * @throws IllegalArgumentException if i is not in [0, k) or {@code assigned} has no fold column
     */
    public static Fold fold(Dataset<Row> assigned, int k, int i) {
        Stratified.requireColumns(assigned, FOLD);
        if (i < 0 || i >= k) {
            throw new IllegalArgumentException("fold must be in [0, " + k + "), got " + i);
        }
        return new Fold(i, k, assigned.where(col(FOLD).notEqual(i)).drop(FOLD, FOLD_POSITION, FOLD_CLASS_COUNT),
                assigned.where(col(FOLD).equalTo(i)).drop(FOLD, FOLD_POSITION, FOLD_CLASS_COUNT));
    }

    /** All k folds of an assignment, in order. */
    public static List<Fold> folds(Dataset<Row> assigned, int k) {
        List<Fold> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(fold(assigned, k, i));
        }
        return List.copyOf(out);
    }

    private static String className(Row c, boolean named) {
        String label = String.valueOf(c.get(0));
        return named && !c.isNullAt(3) && !String.valueOf(c.get(3)).equals(label)
                ? label + " (" + c.get(3) + ")" : label;
    }
}
