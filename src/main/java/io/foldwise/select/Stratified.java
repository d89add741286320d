package io.foldwise.select;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The seeded per-class order every split uses: within each label, images ranked by a hash of
 * (seed, salt, id), ties by id. It depends only on the seed and the ids, never on partitioning
 * or row order.
 *
 * <p>Ranking needs all of a class in one window partition, so it runs on the slim projection
 * (id, label) only ({@link #ranked}); what the ranks decide is joined back to the image rows by id
 * ({@link #joinBack}), a shuffle join whose pixel-carrying side is hash-partitioned by id over all
 * shuffle partitions. No stage that moves pixels has its parallelism bounded by the class count.
 */
final class Stratified {
    static final String ID = "id";
    static final String LABEL = "label";
    /** 0-based rank of the image within its class in seeded hash order. */
    static final String RANK = "__fw_rank";
    /** The image count of the image's class. */
    static final String CLASS_COUNT = "__fw_class_count";
    private static final String HASH = "__fw_hash";
    private static final String JOIN_ID = "__fw_join_id";

    private Stratified() {
    }

    static void requireColumns(Dataset<Row> images, String... columns) {
        for (String c : columns) {
            if (!Arrays.asList(images.columns()).contains(c)) {
                throw new IllegalArgumentException("the images DataFrame has no '" + c + "' column; it has "
                        + String.join(", ", images.columns()));
            }
        }
    }

    /**
     * {@code (id, label, }{@link #RANK}{@code , }{@link #CLASS_COUNT}{@code )} of every image: only
     * ids and labels, never pixels, go through the per-class window.
     */
    static Dataset<Row> ranked(Dataset<Row> images, long seed, String salt) {
        requireColumns(images, ID, LABEL);
        Column hash = xxhash64(lit(seed), lit(salt), col(ID).cast("string"));
        WindowSpec byClass = Window.partitionBy(col(LABEL));
        WindowSpec ordered = byClass.orderBy(col(HASH), col(ID));
        return images.select(col(ID), col(LABEL)).withColumn(HASH, hash)
                .withColumn(RANK, row_number().over(ordered).minus(1))
                .withColumn(CLASS_COUNT, count(lit(1)).over(byClass))
                .drop(HASH);
    }

    /**
     * {@code images} (ids unique) with the {@code extra} columns of {@code perId} (which has an
     * {@code id} column) added, matched by id: the original columns in their order, then
     * {@code extra}. A sort-merge join on id, by hint: the per-id side grows with the data, so it is
     * never broadcast, and the image rows are shuffled by id, not by class.
     */
    static Dataset<Row> joinBack(Dataset<Row> images, Dataset<Row> perId, String... extra) {
        Column[] right = new Column[extra.length + 1];
        right[0] = col(ID).as(JOIN_ID);
        for (int i = 0; i < extra.length; i++) {
            right[i + 1] = col(extra[i]);
        }
        Dataset<Row> values = perId.select(right).hint("shuffle_merge");
        Dataset<Row> joined = images.join(values, images.col(ID).equalTo(values.col(JOIN_ID)));
        Column[] cols = new Column[images.columns().length + extra.length];
        for (int i = 0; i < images.columns().length; i++) {
            cols[i] = images.col(images.columns()[i]);
        }
        for (int i = 0; i < extra.length; i++) {
            cols[images.columns().length + i] = values.col(extra[i]);
        }
        return joined.select(cols);
    }
}
